package io.edgecam.matcher.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.protocol.Alert;
import io.edgecam.protocol.Box;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertCsvTest {
  @Test
  void oneLinePerAlertAfterTheHeaderEveryCellQuoted() {
    Alert a =
        new Alert(
            1, "a1", "s", "cam-1", 7, 0, 1000, "e", "Doe;=1+1", 0.5, 0.45, 2, new Box(1, 2, 3, 4));
    String csv = AlertCsv.write(List.of(a));
    assertThat(csv.split("\r\n"))
        .containsExactly(
            AlertCsv.HEADER,
            "\"a1\",\"1970-01-01T00:00:01Z\",\"1970-01-01T00:00:00Z\",\"s\",\"cam-1\",\"7\",\"e\","
                + "\"Doe;'=1+1\",\"0.5\",\"0.45\",\"2\",\"1\",\"2\",\"3\",\"4\"");
  }
}
