package dev.flagedge.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An evaluation context compiled for repeated evaluation: features with their flags pre-built,
 * segments with parsed conditions, and runs of "property IN [...]" segments (identity overrides)
 * turned into a hash lookup. Immutable and thread-safe.
 */
final class CompiledContext {
  /** Runs shorter than this are cheaper to evaluate than to index. */
  private static final int MIN_INDEXED_RUN = 4;

  final String environmentKey;
  final ContextTree tree;
  final TraitSlots traitSlots;
  private final Feature[] features;
  private final int[] slotOfFeature;
  private final int slotCount;
  private final Map<String, Integer> slotOfName;

  /** Per slot, the feature whose flag it gives without an override: the last of its name. */
  private final Feature[] featureOfSlot;

  private final Segment[] segments;
  private final int[][] overrideSlots;

  /**
   * Each override's priority, beside its slot: choosing among overrides reads these arrays rather
   * than every override's feature object, which cost a cache miss each with many environments.
   */
  private final double[][] overridePriorities;

  /** Every segment, for results that report matched segments. */
  private final Step[] allSteps;

  /** Only segments that carry overrides: the others cannot change a flag. */
  private final Step[] overridingSteps;

  CompiledContext(
      String environmentKey,
      List<Feature> features,
      List<Segment> segments,
      ContextTree tree,
      TraitSlots traitSlots) {
    this.environmentKey = environmentKey;
    this.tree = tree;
    this.traitSlots = traitSlots;
    this.features = features.toArray(new Feature[0]);
    this.segments = segments.toArray(new Segment[0]);
    Map<String, Integer> slots = new HashMap<>();
    this.slotOfFeature = new int[this.features.length];
    for (int i = 0; i < this.features.length; i++) {
      slotOfFeature[i] = slots.computeIfAbsent(this.features[i].name, name -> slots.size());
    }
    this.slotCount = slots.size();
    this.slotOfName = Map.copyOf(slots);
    this.featureOfSlot = new Feature[slotCount];
    for (int i = 0; i < this.features.length; i++) {
      featureOfSlot[slotOfFeature[i]] = this.features[i];
    }
    this.overrideSlots = new int[this.segments.length][];
    this.overridePriorities = new double[this.segments.length][];
    for (int s = 0; s < this.segments.length; s++) {
      Feature[] overrides = this.segments[s].overrides;
      overrideSlots[s] = new int[overrides.length];
      overridePriorities[s] = new double[overrides.length];
      for (int o = 0; o < overrides.length; o++) {
        overrideSlots[s][o] = slots.getOrDefault(overrides[o].name, -1);
        overridePriorities[s][o] = overrides[o].priority;
      }
    }
    this.allSteps = Step.plan(this.segments);
    this.overridingSteps = Step.overridingOnly(allSteps, this.segments);
  }

  /** The flags in feature order, one per distinct feature name. */
  Flag[] flags(Evaluation evaluation) {
    return flagsFor(evaluation, chooseOverrides(evaluation, overridingSteps, null));
  }

  /**
   * One feature's flag, the one {@link #flags} gives for it, found by evaluating only the segments
   * that override that feature; null when no feature has the name.
   */
  Flag flag(Evaluation evaluation, String name) {
    Integer slot = slotOfName.get(name);
    if (slot == null) {
      return null;
    }
    Feature chosen = null;
    for (Step step : overridingSteps) {
      if (step.index == null) {
        if (overrides(step.segment, slot) && segments[step.segment].matches(evaluation)) {
          chosen = choose(step.segment, slot, chosen);
        }
        continue;
      }
      Optional<String> key = Condition.In.membershipKey(step.property.value(evaluation));
      int[] hits = key.isPresent() ? step.index.get(key.get()) : null;
      if (hits != null) {
        for (int segment : hits) {
          chosen = choose(segment, slot, chosen);
        }
      }
    }
    return (chosen != null ? chosen : featureOfSlot[slot]).flagFor(evaluation.identityKey());
  }

  private boolean overrides(int segmentIndex, int slot) {
    for (int overridden : overrideSlots[segmentIndex]) {
      if (overridden == slot) {
        return true;
      }
    }
    return false;
  }

  /** The override of one slot after a matched segment, by {@link #apply}'s rule. */
  private Feature choose(int segmentIndex, int slot, Feature current) {
    int[] slots = overrideSlots[segmentIndex];
    for (int o = 0; o < slots.length; o++) {
      if (slots[o] == slot) {
        current = lower(current, segments[segmentIndex].overrides[o]);
      }
    }
    return current;
  }

  EvaluationResult evaluate(Evaluation evaluation) {
    List<Segment> matched = new ArrayList<>();
    Feature[] chosen = chooseOverrides(evaluation, allSteps, matched);
    Flag[] flags = flagsFor(evaluation, chosen);
    Map<String, Flag> byName = new LinkedHashMap<>();
    for (Flag flag : flags) {
      byName.put(flag.name(), flag);
    }
    List<SegmentMatch> segmentMatches = new ArrayList<>(matched.size());
    for (Segment segment : matched) {
      segmentMatches.add(new SegmentMatch(segment.name, segment.metadata));
    }
    return new EvaluationResult(byName, segmentMatches);
  }

  private Feature[] chooseOverrides(Evaluation evaluation, Step[] steps, List<Segment> matched) {
    Feature[] chosen = new Feature[slotCount];
    double[] chosenPriority = null; // made by the first override
    for (Step step : steps) {
      if (step.index == null) {
        if (segments[step.segment].matches(evaluation)) {
          chosenPriority = apply(step.segment, chosen, chosenPriority, matched);
        }
        continue;
      }
      Optional<String> key = Condition.In.membershipKey(step.property.value(evaluation));
      int[] hits = key.isPresent() ? step.index.get(key.get()) : null;
      if (hits != null) {
        for (int segment : hits) {
          chosenPriority = apply(segment, chosen, chosenPriority, matched);
        }
      }
    }
    return chosen;
  }

  /**
   * Lower priority wins; on a tie the first override seen stays, as in the reference.
   *
   * @return the priorities of the chosen overrides by slot, made on the first call
   */
  private double[] apply(
      int segmentIndex, Feature[] chosen, double[] chosenPriority, List<Segment> matched) {
    Segment segment = segments[segmentIndex];
    if (matched != null) {
      matched.add(segment);
    }
    double[] priorities = chosenPriority != null ? chosenPriority : new double[slotCount];
    int[] slots = overrideSlots[segmentIndex];
    double[] overriding = overridePriorities[segmentIndex];
    for (int o = 0; o < slots.length; o++) {
      int slot = slots[o];
      if (slot < 0) {
        continue;
      }
      if (chosen[slot] == null || overriding[o] < priorities[slot]) {
        chosen[slot] = segment.overrides[o];
        priorities[slot] = overriding[o];
      }
    }
    return priorities;
  }

  /** Lower priority wins; on a tie the one already chosen stays. */
  private static Feature lower(Feature current, Feature override) {
    return current == null || override.priority < current.priority ? override : current;
  }

  private Flag[] flagsFor(Evaluation evaluation, Feature[] chosen) {
    Flag[] flags = new Flag[slotCount];
    String identityKey = evaluation.identityKey();
    for (int i = 0; i < features.length; i++) {
      int slot = slotOfFeature[i];
      Feature source = chosen[slot] != null ? chosen[slot] : features[i];
      flags[slot] = source.flagFor(identityKey);
    }
    return flags;
  }

  /** One step of segment evaluation: a single segment, or an indexed run of IN segments. */
  private static final class Step {
    final int segment;

    /** End (exclusive) of an indexed run. */
    final int end;

    final Property property;
    final Map<String, int[]> index;

    private Step(int segment, int end, Property property, Map<String, int[]> index) {
      this.segment = segment;
      this.end = end;
      this.property = property;
      this.index = index;
    }

    static Step[] plan(Segment[] segments) {
      List<Step> steps = new ArrayList<>();
      int i = 0;
      while (i < segments.length) {
        int runEnd = inRunEnd(segments, i);
        if (runEnd - i >= MIN_INDEXED_RUN) {
          steps.add(indexed(segments, i, runEnd, false));
          i = runEnd;
          continue;
        }
        steps.add(new Step(i, i + 1, null, null));
        i++;
      }
      return steps.toArray(new Step[0]);
    }

    /**
     * The steps that can change a flag. Indexed runs whose segments all carry overrides (identity
     * overrides always do) are shared rather than indexed a second time.
     */
    static Step[] overridingOnly(Step[] all, Segment[] segments) {
      List<Step> steps = new ArrayList<>(all.length);
      for (Step step : all) {
        if (step.index == null) {
          if (segments[step.segment].overrides.length > 0) {
            steps.add(step);
          }
        } else if (allOverride(segments, step)) {
          steps.add(step);
        } else {
          steps.add(indexed(segments, step.segment, step.end, true));
        }
      }
      return steps.toArray(new Step[0]);
    }

    private static boolean allOverride(Segment[] segments, Step step) {
      for (int s = step.segment; s < step.end; s++) {
        if (segments[s].overrides.length == 0) {
          return false;
        }
      }
      return true;
    }

    /** End (exclusive) of the run of IN segments on one property starting at {@code start}. */
    private static int inRunEnd(Segment[] segments, int start) {
      Condition.In first = segments[start].soleInCondition();
      if (first == null) {
        return start;
      }
      int end = start + 1;
      while (end < segments.length) {
        Segment next = segments[end];
        Condition.In in = next.soleInCondition();
        if (in == null || !sameProperty(first, in)) {
          break;
        }
        end++;
      }
      return end;
    }

    private static boolean sameProperty(Condition.In a, Condition.In b) {
      return a.property == b.property || a.property.equals(b.property);
    }

    private static Step indexed(Segment[] segments, int start, int end, boolean onlyOverriding) {
      Map<String, int[]> index = new HashMap<>();
      Property property = null;
      for (int s = start; s < end; s++) {
        Condition.In in = segments[s].soleInCondition();
        if (in == null || (onlyOverriding && segments[s].overrides.length == 0)) {
          continue;
        }
        property = in.property;
        for (String value : in.values) {
          int[] hits = index.get(value);
          if (hits == null) {
            index.put(value, new int[] {s});
          } else if (hits[hits.length - 1] != s) {
            int[] grown = Arrays.copyOf(hits, hits.length + 1);
            grown[hits.length] = s;
            index.put(value, grown);
          }
        }
      }
      return new Step(start, end, property, index);
    }
  }
}
