package io.edgecam.matcher.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsvTest {
  @Test
  void quotesEveryCellAndDoublesQuotes() {
    assertThat(Csv.cell("plain")).isEqualTo("\"plain\"");
    assertThat(Csv.cell("Doe, John")).isEqualTo("\"Doe, John\"");
    assertThat(Csv.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(Csv.cell("")).isEqualTo("\"\"");
    assertThat(Csv.number(-3)).isEqualTo("\"-3\"");
  }

  @Test
  void defusesFormulaStartsAtTheStart() {
    assertThat(Csv.cell("=1+1")).isEqualTo("\"'=1+1\"");
    assertThat(Csv.cell("@SUM(A1)")).isEqualTo("\"'@SUM(A1)\"");
    assertThat(Csv.cell("-x")).isEqualTo("\"'-x\"");
    assertThat(Csv.cell("\tx")).isEqualTo("\"'\tx\"");
  }

  /** Security review, issue 17: {@code Doe;=1+1} ran where spreadsheets split on {@code ;}. */
  @Test
  void defusesFormulaStartsAfterAnySeparator() {
    assertThat(Csv.cell("Doe;=1+1")).isEqualTo("\"Doe;'=1+1\"");
    assertThat(Csv.cell("Doe; +1")).isEqualTo("\"Doe; '+1\"");
    assertThat(Csv.cell("a|@b\tc,-d")).isEqualTo("\"a|'@b\tc,'-d\"");
    assertThat(Csv.cell("Jean-Luc a=b")).isEqualTo("\"Jean-Luc a=b\"");
  }
}
