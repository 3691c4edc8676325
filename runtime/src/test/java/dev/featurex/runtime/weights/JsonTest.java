package dev.featurex.runtime.weights;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The numbers of the safetensors header's reader: sizes and offsets are JSON integers. */
class JsonTest {

  @Test
  void integersAreLongsUntilTheyOverflow() throws Json.JsonException {
    assertThat(Json.parse("[0, 7, -12, 123456789012345678, 9223372036854775807, -0]"))
        .isEqualTo(List.of(0L, 7L, -12L, 123456789012345678L, Long.MAX_VALUE, 0L));
    assertThat(Json.parse("9223372036854775808")).isEqualTo(new BigInteger("9223372036854775808"));
    assertThat(Json.parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void fractionsAndExponentsAreDoubles() throws Json.JsonException {
    assertThat(Json.parse("[1.5, -2e3, 1E2, 0.25]")).isEqualTo(List.of(1.5, -2000.0, 100.0, 0.25));
  }

  @Test
  void malformedNumbersAreRefused() {
    for (String text : new String[] {"-", "1-2", "--1", "1.2.3", "e", "+"}) {
      assertThrows(Json.JsonException.class, () -> Json.parse(text), text);
    }
  }
}
