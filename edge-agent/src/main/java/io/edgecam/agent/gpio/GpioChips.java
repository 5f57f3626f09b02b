package io.edgecam.agent.gpio;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The kernel's GPIO character devices ({@code /dev/gpiochip*}): whether this machine has GPIO. */
public final class GpioChips {
  /** Where the kernel puts them. */
  public static final Path DEV = Path.of("/dev");

  private GpioChips() {}

  /** The {@code gpiochipN} devices in {@code dev}, sorted; empty on a machine without GPIO. */
  public static List<Path> find(Path dev) {
    List<Path> chips = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dev, "gpiochip[0-9]*")) {
      s.forEach(chips::add);
    } catch (IOException e) {
      return List.of(); // no /dev (a container): no GPIO either
    }
    chips.sort(null);
    return chips;
  }
}
