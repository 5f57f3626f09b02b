package io.edgecam.matcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MatcherCommandTest {
  @Test
  void startBannerWarnsWhenFewerThanTwoPersonsVerify() {
    assertThat(MatcherCommand.oversightLine(1))
        .startsWith("WARNING: oversight.confirmations is 1")
        .contains("edgecam/v1/alerts/verified");
    assertThat(MatcherCommand.oversightLine(2))
        .doesNotContain("WARNING")
        .contains("only after 2 different persons");
  }
}
