package io.edgecam.ctl.provision;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code p256} or {@code ed25519}, any case. */
final class KeyTypeConverter implements ITypeConverter<KeyType> {
  @Override
  public KeyType convert(String value) {
    try {
      return KeyType.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException("must be p256 or ed25519, was '" + value + "'");
    }
  }
}
