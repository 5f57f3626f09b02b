package io.edgecam.ctl.doctor;

/**
 * The outcome of one doctor check, printed as one line.
 *
 * @param name short check name, e.g. {@code broker}
 * @param status OK, WARN or FAIL
 * @param detail what was found, naming the file, key or address
 * @param fix what to do about a WARN or FAIL; empty when OK
 */
public record CheckResult(String name, Status status, String detail, String fix) {

  /** How a check went. */
  public enum Status {
    /** Fine. */
    OK,
    /** Works, but someone should look (e.g. little disk left, certificate expiring soon). */
    WARN,
    /** Will not work: the agent fails or misbehaves until it is fixed. */
    FAIL
  }

  public CheckResult {
    if (name == null || status == null || detail == null || fix == null) {
      throw new IllegalArgumentException("name, status, detail and fix must not be null");
    }
  }

  static CheckResult ok(String name, String detail) {
    return new CheckResult(name, Status.OK, detail, "");
  }

  static CheckResult warn(String name, String detail, String fix) {
    return new CheckResult(name, Status.WARN, detail, fix);
  }

  static CheckResult fail(String name, String detail, String fix) {
    return new CheckResult(name, Status.FAIL, detail, fix);
  }

  /** The line printed for a person: status, name, detail and, unless OK, the fix. */
  String line() {
    String head = String.format("%-4s %-10s %s", status, name, detail);
    return fix.isEmpty() ? head : head + " -> " + fix;
  }
}
