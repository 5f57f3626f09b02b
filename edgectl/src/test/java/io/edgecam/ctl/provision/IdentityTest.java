package io.edgecam.ctl.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class IdentityTest {
  @Test
  void uriCarriesRoleSiteAndNameAndParsesBack() {
    Identity d = Identity.device("cam-01", "site-1");
    Identity m = Identity.matcher("m1");

    assertThat(d.uri()).isEqualTo("urn:edgecam:device:site-1:cam-01");
    assertThat(m.uri()).isEqualTo("urn:edgecam:matcher:m1");
    assertThat(Identity.fromUri(d.uri(), List.of())).isEqualTo(d);
    assertThat(Identity.fromUri(m.uri(), List.of())).isEqualTo(m);
    assertThat(Identity.fromUri("urn:other:device:s:d", List.of())).isNull();
    assertThat(Identity.fromUri("urn:edgecam:device:s:tuf", List.of())).isNull();
  }

  @Test
  void brokerHostsAreDnsNamesOrIpLiteralsNeverLookedUp() {
    assertThat(Identity.broker(List.of("broker.example", "10.0.0.5", "::1")).hosts()).hasSize(3);
    assertThat(Identity.isIp("10.0.0.5")).isTrue();
    assertThat(Identity.isIp("300.0.0.5")).isFalse();
    assertThat(Identity.isIp("fe80::1")).isTrue();
    assertThat(Identity.isIp("broker.example")).isFalse();
    assertThatThrownBy(() -> Identity.broker(List.of("bad host")))
        .hasMessageContaining("not a DNS name or IP address");
  }

  @Test
  void deviceIdsThatAreTopicLevelsOfOtherTopicsAreRefused() {
    for (String id : List.of("updates", "alerts", "tuf", "targets")) {
      assertThatThrownBy(() -> Identity.device(id, "s"))
          .as(id)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
