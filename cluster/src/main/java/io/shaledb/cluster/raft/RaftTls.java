package io.shaledb.cluster.raft;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Mutual TLS of the Raft port, keyed by the cluster secret.
 *
 * <p>Each node generates its own EC P-256 key pair and a self-signed certificate once, kept in
 * {@code <data>/raft/tls/}. The certificate's subject carries a proof that its maker knows the
 * cluster secret: HMAC-SHA256(secret, public key). Both ends of every Raft connection present their
 * certificate, and a peer is accepted only if its certificate is valid now, signed by its own key
 * and carries the right proof; the TLS handshake proves the peer holds that key. So a peer without
 * the secret can neither connect nor be connected to, the secret never crosses the wire, and traffic
 * is encrypted. A node whose secret changed makes itself a new certificate at start. Host names are
 * not checked: a node's identity is its proof, not its address.
 */
public final class RaftTls {
  private static final String KEY_FILE = "node.key";
  private static final String CERTIFICATE_FILE = "node.crt";
  private static final String PROOF_CONTEXT = "shaledb raft peer v1:";
  private static final Duration VALIDITY = Duration.ofDays(3650);

  private final PrivateKey privateKey;
  private final X509Certificate certificate;
  private final byte[] clusterSecret;
  private final Clock clock;

  private RaftTls(PrivateKey privateKey, X509Certificate certificate, byte[] clusterSecret, Clock clock) {
    this.privateKey = privateKey;
    this.certificate = certificate;
    this.clusterSecret = clusterSecret.clone();
    this.clock = clock;
  }

  /** Loads the node's key and certificate from {@code directory}, making new ones if missing or made for another secret. */
  public static RaftTls loadOrCreate(Path directory, byte[] clusterSecret, Clock clock) {
    try {
      Files.createDirectories(directory);
      Path keyFile = directory.resolve(KEY_FILE);
      Path certificateFile = directory.resolve(CERTIFICATE_FILE);
      if (Files.exists(keyFile) && Files.exists(certificateFile)) {
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(keyFile)));
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
            .generateCertificate(Files.newInputStream(certificateFile));
        RaftTls loaded = new RaftTls(key, certificate, clusterSecret, clock);
        if (loaded.carriesProof(certificate)) {
          return loaded;
        }
      }
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair pair = generator.generateKeyPair();
      X509Certificate certificate = selfSigned(pair, proof(clusterSecret, pair.getPublic()), clock.instant());
      writeAtomically(keyFile, pair.getPrivate().getEncoded());
      writeAtomically(certificateFile, certificate.getEncoded());
      return new RaftTls(pair.getPrivate(), certificate, clusterSecret, clock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the Raft TLS key in " + directory, e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot make the Raft TLS key: " + e.getMessage(), e);
    }
  }

  /** The Ratis TLS configuration for the server, its clients and its admin calls: mutual, with this node's certificate. */
  public GrpcTlsConfig grpcConfig() {
    return new GrpcTlsConfig(keyManager(), new ProofTrustManager(), true);
  }

  X509Certificate certificate() {
    return certificate;
  }

  /** Whether {@code peer} is a certificate this cluster's nodes accept. */
  boolean accepts(X509Certificate peer) {
    try {
      peer.checkValidity(Date.from(clock.instant()));
      peer.verify(peer.getPublicKey());
    } catch (GeneralSecurityException e) {
      return false;
    }
    return carriesProof(peer);
  }

  private boolean carriesProof(X509Certificate peer) {
    X500Name subject = X500Name.getInstance(peer.getSubjectX500Principal().getEncoded());
    var units = subject.getRDNs(BCStyle.OU);
    if (units.length != 1) {
      return false;
    }
    byte[] claimed;
    try {
      claimed = HexFormat.of().parseHex(IETFUtils.valueToString(units[0].getFirst().getValue()));
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(claimed, proof(clusterSecret, peer.getPublicKey()));
  }

  private KeyManager keyManager() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = new char[0];
      store.setKeyEntry("node", privateKey, password, new X509Certificate[] {certificate});
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, password);
      return factory.getKeyManagers()[0];
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot load the Raft TLS key: " + e.getMessage(), e);
    }
  }

  private static byte[] proof(byte[] clusterSecret, PublicKey key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(clusterSecret, "HmacSHA256"));
      mac.update(PROOF_CONTEXT.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return mac.doFinal(key.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  private static X509Certificate selfSigned(KeyPair pair, byte[] proof, Instant now)
      throws OperatorCreationException, CertificateException {
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.CN, "shaledb raft peer")
        .addRDN(BCStyle.OU, HexFormat.of().formatHex(proof))
        .build();
    BigInteger serial = new BigInteger(64, new SecureRandom()).abs();
    var builder = new JcaX509v3CertificateBuilder(subject, serial, Date.from(now.minus(Duration.ofDays(1))),
        Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
    var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  private static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(temporary, bytes);
    Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Accepts exactly the certificates {@link #accepts} does, in both directions; extended so the JDK adds no host name check. */
  private final class ProofTrustManager extends X509ExtendedTrustManager {
    private void check(X509Certificate[] chain) throws CertificateException {
      if (chain == null || chain.length != 1 || !accepts(chain[0])) {
        throw new CertificateException("the peer does not hold this cluster's secret");
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      check(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      // Empty: the client then offers its certificate whatever issuers the server names.
      return new X509Certificate[0];
    }
  }
}
