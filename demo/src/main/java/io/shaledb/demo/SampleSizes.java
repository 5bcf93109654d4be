package io.shaledb.demo;

/**
 * How much sample data an empty shop gets at its first start.
 *
 * @param users customers besides the admin (the seed's alice, bob and carol come first)
 * @param products products besides the seed's keyboard and mouse
 * @param orders past orders spread over the customers and products
 */
public record SampleSizes(int users, int products, int orders) {
  public static final SampleSizes DEFAULT = new SampleSizes(8, 58, 200);
  public static final SampleSizes NONE = new SampleSizes(0, 0, 0);

  public SampleSizes {
    if (users < 0 || products < 0 || orders < 0) {
      throw new IllegalArgumentException("sample sizes cannot be negative");
    }
    if (orders > 0 && users == 0) {
      throw new IllegalArgumentException("sample orders need sample users");
    }
  }

  public boolean isNone() {
    return users == 0 && products == 0 && orders == 0;
  }
}
