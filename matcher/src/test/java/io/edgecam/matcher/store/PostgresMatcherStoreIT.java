package io.edgecam.matcher.store;

import io.edgecam.matcher.testing.Services;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The store contract on the PostgreSQL of this machine, in a schema of its own per test. */
class PostgresMatcherStoreIT extends MatcherStoreContract {
  private String url;
  private String schema;

  @BeforeEach
  void createSchema() throws Exception {
    url = Services.postgresUrl();
    schema = Services.createSchema(url);
  }

  @AfterEach
  void dropSchema() throws Exception {
    if (schema != null) {
      Services.dropSchema(url, schema);
    }
  }

  @Override
  MatcherStore open() {
    return new PostgresMatcherStore(url + "&currentSchema=" + schema);
  }
}
