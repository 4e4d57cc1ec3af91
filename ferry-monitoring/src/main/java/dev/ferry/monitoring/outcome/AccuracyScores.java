package dev.ferry.monitoring.outcome;

import dev.ferry.monitoring.alert.ScoreBoard;
import dev.ferry.monitoring.alert.ScoreKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accuracy rows as scores, so they are gauges and alert rules can judge them: each metric of a
 * row becomes {@code <metric>{deployment,version,arm}} (plus {@code segment} when the rows are
 * segmented), e.g. {@code accuracy{arm=champion,deployment=credit,version=2}}.
 */
public final class AccuracyScores {

    private AccuracyScores() {
    }

    /** The scores of {@code rows}; give it one window's rows, or two rows of a group collide. */
    public static Map<ScoreKey, Double> of(List<AccuracyRow> rows) {
        Map<ScoreKey, Double> out = new LinkedHashMap<>();
        for (AccuracyRow r : rows) {
            List<String> labels = new ArrayList<>(List.of("deployment", r.deployment(), "version", Integer.toString(r.version()),
                    "arm", r.arm()));
            r.segment().ifPresent(s -> labels.addAll(List.of("segment", s)));
            String[] pairs = labels.toArray(String[]::new);
            r.metrics().forEach((name, value) -> out.put(ScoreKey.of(name, pairs), value));
        }
        return out;
    }

    /** Sets the scores of one window's rows on the board (and so their gauges). */
    public static void publish(ScoreBoard board, List<AccuracyRow> rows) {
        of(rows).forEach(board::set);
    }
}
