package io.seismo.system;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The running totals of one verification, turned into the summary's figures in a fixed order. */
final class Tally {

  long samples;
  long polls;
  long sseSamples;
  long changes;
  long windows;
  long rawDuplicates;
  long lostInRun;
  long registrationsLost;
  final List<Long> gaps = new ArrayList<>();
  long gapPollsMissed;

  Map<String, Object> figures(int apis, int registrationsAcked) {
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("apis", apis);
    figures.put("samples", samples);
    figures.put("polls", polls);
    figures.put("sseSamples", sseSamples);
    figures.put("changes", changes);
    figures.put("windows", windows);
    figures.put("rawDuplicates", rawDuplicates);
    figures.put("lostInRun", lostInRun);
    figures.put("registrationsAcked", registrationsAcked);
    figures.put("registrationsLost", registrationsLost);
    figures.put("gaps", gaps.size());
    figures.put("gapPollsMissed", gapPollsMissed);
    figures.put("gapMaxS", gaps.stream().mapToLong(Long::longValue).max().orElse(0) / 1000.0);
    figures.put("gapMeanS", Math.round(gaps.stream().mapToLong(Long::longValue).average().orElse(0) / 100.0) / 10.0);
    return figures;
  }
}
