package io.seismo.system;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** When the next blow falls (15–30 s after the last began) and which kind it is, from a shuffled deck holding each kind once. */
final class ChaosSchedule {

  private final Random random;
  private final List<ChaosEvent.Kind> deck = new ArrayList<>();

  ChaosSchedule(Random random) {
    this.random = random;
  }

  /** The time ({@link System#nanoTime()}) the blow after the one about to fall is due. */
  long nextAt() {
    return System.nanoTime() + TimeUnit.SECONDS.toNanos(15 + random.nextInt(16));
  }

  /** The next kind from the deck, dealing a freshly shuffled one when it is empty. */
  ChaosEvent.Kind nextKind() {
    if (deck.isEmpty()) {
      deck.addAll(List.of(ChaosEvent.Kind.values()));
      Collections.shuffle(deck, random);
    }
    return deck.removeFirst();
  }
}
