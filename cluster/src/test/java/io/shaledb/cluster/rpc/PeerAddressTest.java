package io.shaledb.cluster.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PeerAddressTest {

  @Test
  void parsesHostPortAndPrintsItBack() {
    assertEquals(new PeerAddress("node-2.internal", 7655), PeerAddress.parse(" node-2.internal:7655 "));
    assertEquals("node-2.internal:7655", PeerAddress.parse("node-2.internal:7655").toString());
  }

  @Test
  void parsesIpv6WithOrWithoutBrackets() {
    assertEquals(new PeerAddress("::1", 7655), PeerAddress.parse("[::1]:7655"));
    assertEquals(new PeerAddress("::1", 7655), PeerAddress.parse("::1:7655"));
    assertEquals("[::1]:7655", new PeerAddress("::1", 7655).toString());
  }

  @Test
  void refusesWhatIsNotHostColonPort() {
    for (String bad : new String[] {"localhost", "localhost:", ":7655", "localhost:http", "localhost:0",
        "localhost:65536"}) {
      assertThrows(IllegalArgumentException.class, () -> PeerAddress.parse(bad), bad);
    }
  }
}
