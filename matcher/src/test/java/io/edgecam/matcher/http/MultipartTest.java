package io.edgecam.matcher.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultipartTest {
  private static final String B = "----WebKitFormBoundaryX3";

  private static byte[] body(byte[] image) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(
        ("--"
                + B
                + "\r\nContent-Disposition: form-data; name=\"legalBasis\"\r\n\r\n"
                + "court order 5, Zürich\r\n--"
                + B
                + "\r\nContent-Disposition: form-data; name=\"images\"; filename=\"a b.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    out.write(image);
    out.write(("\r\n--" + B + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  @Test
  void readsTextFieldsAndBinaryFilesThatContainLineBreaksAndDashes() throws Exception {
    byte[] image = {(byte) 0xFF, (byte) 0xD8, '\r', '\n', '-', '-', 0, (byte) 0xFF, '\r', '\n'};
    List<Multipart.Part> parts = Multipart.parse(body(image), B);
    assertThat(parts).hasSize(2);
    assertThat(parts.get(0).name()).isEqualTo("legalBasis");
    assertThat(parts.get(0).filename()).isNull();
    assertThat(parts.get(0).text()).isEqualTo("court order 5, Zürich");
    assertThat(parts.get(1).name()).isEqualTo("images");
    assertThat(parts.get(1).filename()).isEqualTo("a b.jpg");
    assertThat(parts.get(1).data()).isEqualTo(image);
  }

  @Test
  void boundaryComesFromTheContentTypeQuotedOrNot() {
    assertThat(Multipart.boundary("multipart/form-data; boundary=" + B)).isEqualTo(B);
    assertThat(Multipart.boundary("Multipart/Form-Data; charset=utf-8; boundary=\"x y\""))
        .isEqualTo("x y");
    assertThat(Multipart.boundary("application/json")).isNull();
    assertThat(Multipart.boundary("multipart/form-data")).isNull();
  }

  @Test
  void truncatedOrForeignBodiesAreA400() throws Exception {
    byte[] whole = body(new byte[] {1, 2, 3});
    byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 20);
    assertThatThrownBy(() -> Multipart.parse(truncated, B))
        .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status).isEqualTo(400))
        .hasMessageContaining("unterminated part");
    assertThatThrownBy(() -> Multipart.parse("hello".getBytes(StandardCharsets.UTF_8), B))
        .hasMessageContaining("without its boundary");
  }
}
