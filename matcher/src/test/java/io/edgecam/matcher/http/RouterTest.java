package io.edgecam.matcher.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgecam.matcher.auth.Role;
import org.junit.jupiter.api.Test;

class RouterTest {
  private final Router router =
      new Router()
          .add("GET", "/alerts/export", Role.OPERATOR, c -> {})
          .add("GET", "/alerts/{id}", Role.VIEWER, c -> {})
          .add("POST", "/watchlist/{id}/extend", Role.OPERATOR, c -> {})
          .add("DELETE", "/watchlist/{id}", Role.OPERATOR, c -> {});

  @Test
  void firstMatchingRouteWinsAndPathParametersAreDecoded() {
    assertThat(router.route("GET", "/alerts/export").route().role()).isEqualTo(Role.OPERATOR);
    Router.Match m = router.route("GET", "/alerts/a%20b");
    assertThat(m.route().role()).isEqualTo(Role.VIEWER);
    assertThat(m.params()).containsExactly("a b");
    assertThat(router.route("POST", "/watchlist/x.1/extend").params()).containsExactly("x.1");
  }

  @Test
  void unknownPathIs404AndWrongMethodIs405NamingTheAllowedOnes() {
    assertThatThrownBy(() -> router.route("GET", "/nope"))
        .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status).isEqualTo(404));
    assertThatThrownBy(() -> router.route("GET", "/watchlist/x"))
        .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status).isEqualTo(405))
        .hasMessageContaining("allowed: DELETE");
    assertThatThrownBy(() -> router.route("GET", "/alerts/a/b"))
        .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status).isEqualTo(404));
  }

  @Test
  void bearerTokenIsTakenFromTheAuthorizationHeaderOnly() {
    assertThat(Router.bearer("Bearer ect_abc")).isEqualTo("ect_abc");
    assertThat(Router.bearer("bearer  ect_abc ")).isEqualTo("ect_abc");
    assertThat(Router.bearer("Basic dXNlcjpwdw==")).isNull();
    assertThat(Router.bearer(null)).isNull();
  }

  @Test
  void uploadedFileNamesCannotLeaveTheTemporaryFolder() {
    assertThat(Enroller.safeName("../../etc/passwd", 1)).isEqualTo("passwd");
    assertThat(Enroller.safeName("C:\\photos\\me 1.jpg", 1)).isEqualTo("me_1.jpg");
    assertThat(Enroller.safeName("..", 2)).isEqualTo("upload-2");
    assertThat(Enroller.safeName(null, 3)).isEqualTo("upload-3");
  }
}
