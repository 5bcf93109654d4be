package io.shaledb.demo;

/**
 * Input the shop refuses, with a message that tells the person what was wrong. Thrown before anything is
 * written, so a refused request changes nothing.
 */
final class InvalidInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  InvalidInputException(String message) {
    super(message);
  }
}
