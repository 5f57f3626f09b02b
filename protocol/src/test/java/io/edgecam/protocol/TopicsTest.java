package io.edgecam.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {

  @Test
  void buildsTheDesignTopicTree() {
    assertThat(Topics.candidates("site-01", "cam-0001"))
        .isEqualTo("edgecam/v1/site-01/cam-0001/candidates");
    assertThat(Topics.status("s", "d")).isEqualTo("edgecam/v1/s/d/status");
    assertThat(Topics.events("s", "d")).isEqualTo("edgecam/v1/s/d/events");
    assertThat(Topics.ALERTS).isEqualTo("edgecam/v1/alerts");
    assertThat(Topics.SHARED_CANDIDATES).isEqualTo("$share/matchers/edgecam/v1/+/+/candidates");
    assertThat(Topics.ALL_CANDIDATES).isEqualTo("edgecam/v1/+/+/candidates");
    assertThat(Topics.candidatesFilter("s-1", true))
        .isEqualTo("$share/matchers/edgecam/v1/s-1/+/candidates");
    assertThat(Topics.candidatesFilter("s-1", false)).isEqualTo("edgecam/v1/s-1/+/candidates");
  }

  @Test
  void parsesWhatItBuilds() {
    for (String kind : new String[] {"candidates", "status", "events"}) {
      String topic = "edgecam/v1/site_1.a/CAM-0001/" + kind;
      assertThat(Topics.parseDeviceTopic(topic))
          .isEqualTo(new Topics.DeviceTopic("site_1.a", "CAM-0001", kind));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "cam/1",
        "cam+",
        "+",
        "#",
        "cam#1",
        "$SYS",
        "$share",
        "kamera-\u00fc",
        "\u6444\u50cf\u673a",
        "cam 1",
        "",
        ".hidden",
        "-x",
        "cam\u0000",
        "cam\n1",
        "a12345678901234567890123456789012345678901234567890123456789012345"
      })
  void rejectsInvalidIdsWhenBuilding(String id) {
    assertThatThrownBy(() -> Topics.candidates("site", id))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("device must be 1-64 characters");
    assertThatThrownBy(() -> Topics.status(id, "cam"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("site must be 1-64 characters");
  }

  @Test
  void acceptsA64CharacterIdAndRejects65() {
    String id64 = "a".repeat(64);
    assertThat(Topics.candidates(id64, id64)).contains(id64);
    assertThatThrownBy(() -> Topics.candidates("s", id64 + "a"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsReservedDeviceIds() {
    assertThatThrownBy(() -> Topics.candidates("s", "tuf")).hasMessageContaining("reserved");
    assertThatThrownBy(() -> Topics.parseDeviceTopic("edgecam/v1/s/targets/status"))
        .isExactlyInstanceOf(MalformedMessageException.class)
        .hasMessage("topic: device 'targets' is reserved");
    assertThat(Topics.status("tuf", "cam")).isEqualTo("edgecam/v1/tuf/cam/status");
  }

  @Test
  void parserSaysWhatIsWrong() {
    assertThatThrownBy(() -> Topics.parseDeviceTopic(null)).hasMessage("topic: null");
    assertThatThrownBy(() -> Topics.parseDeviceTopic("edgecam/v1/s/" + "d".repeat(300) + "/status"))
        .hasMessage("topic: 320 characters, at most 256");
    assertThatThrownBy(() -> Topics.parseDeviceTopic("edgecam/v2/s/d/status"))
        .hasMessage("topic: not edgecam/v1/{site}/{device}/{kind}: 'edgecam/v2/s/d/status'");
    assertThatThrownBy(() -> Topics.parseDeviceTopic("edgecam/v1/s/d/status/x"))
        .hasMessageStartingWith("topic: not edgecam/v1/");
    assertThatThrownBy(() -> Topics.parseDeviceTopic("edgecam/v1/s/d"))
        .hasMessageStartingWith("topic: not edgecam/v1/");
    assertThatThrownBy(() -> Topics.parseDeviceTopic("edgecam/v1/+/d/status"))
        .hasMessageStartingWith("topic: site must be 1-64 characters")
        .hasMessageEndingWith("'+'");
    assertThatThrownBy(() -> Topics.parseDeviceTopic("edgecam/v1/s/#/status"))
        .hasMessageStartingWith("topic: device must be 1-64 characters");
    assertThatThrownBy(() -> Topics.parseDeviceTopic("edgecam/v1/s/k\u00fc/status"))
        .hasMessageEndingWith("was 'k\\u00fc'");
    assertThatThrownBy(() -> Topics.parseDeviceTopic("edgecam/v1/s//status"))
        .hasMessageStartingWith("topic: device must be");
    assertThatThrownBy(() -> Topics.parseDeviceTopic("edgecam/v1/s/d/root.json"))
        .isExactlyInstanceOf(MalformedMessageException.class)
        .hasMessage("topic: kind must be one of candidates, status, events, was 'root.json'");
  }

  @Test
  void idRulesAreTheSameForSitesAndDevices() {
    assertThat(Ids.isValid("tuf")).isTrue();
    assertThat(Ids.isValidDevice("tuf")).isFalse();
    assertThat(Ids.isValid(null)).isFalse();
    assertThatThrownBy(() -> Ids.require("site", null)).hasMessageEndingWith("was null");
    assertThatThrownBy(() -> Ids.require("site", "x".repeat(200)))
        .hasMessageEndingWith("... (200 characters)");
  }
}
