package dev.ferry.monitoring.report;

import dev.ferry.InvalidInputException;
import dev.ferry.monitoring.outcome.JoinedOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One prediction with its known outcome, as a report needs it: when the prediction was made, its
 * score (the positive class's probability, or the predicted value) and the label. Built from
 * Ferry's outcome store or from files holding predictions and targets.
 */
public record ReportOutcome(Instant at, double score, double label) {

    public ReportOutcome {
        Objects.requireNonNull(at, "at");
    }

    /** From stored joined outcomes; {@code scoreField} names the output holding the score (a number or [p0, p1]). */
    public static List<ReportOutcome> fromStore(List<JoinedOutcome> joined, String scoreField) {
        List<ReportOutcome> out = new ArrayList<>();
        for (JoinedOutcome j : joined) {
            Object v = j.prediction().output().get(scoreField);
            double s;
            if (v instanceof Number n) {
                s = n.doubleValue();
            } else if (v instanceof List<?> l && !l.isEmpty() && l.size() <= 2 && l.getLast() instanceof Number n) {
                s = n.doubleValue();
            } else {
                throw new InvalidInputException("stored outcome of prediction " + j.prediction().requestId() + ": output field '" + scoreField
                        + "' was " + v + " but a number or a list [p0, p1] is expected (outputs: " + j.prediction().output().keySet() + ")");
            }
            out.add(new ReportOutcome(j.prediction().at(), s, j.label()));
        }
        return out;
    }

    /** From the analysis data's own score and target columns; rows without a target are left out. */
    public static List<ReportOutcome> fromColumns(ReportData analysis, String scoreColumn, String targetColumn) {
        List<ReportOutcome> out = new ArrayList<>();
        for (int i = 0; i < analysis.rowCount(); i++) {
            Object y = analysis.value(i, targetColumn);
            if (y != null) {
                out.add(new ReportOutcome(analysis.time(i), score(analysis, i, scoreColumn), label(y, targetColumn, analysis.source() + " row " + (i + 1))));
            }
        }
        return out;
    }

    /**
     * From the analysis data's score column and a separate file of targets joined on {@code idColumn}
     * (the layout NannyML publishes: analysis rows and a ground-truth file by id). Analysis rows
     * without a target are left out.
     */
    public static List<ReportOutcome> joined(ReportData analysis, String scoreColumn, ReportData targets, String idColumn, String targetColumn) {
        Map<String, Double> labels = new HashMap<>();
        for (int i = 0; i < targets.rowCount(); i++) {
            Object id = targets.value(i, idColumn);
            Object y = targets.value(i, targetColumn);
            if (id != null && y != null) {
                labels.put(id.toString(), label(y, targetColumn, targets.source() + " row " + (i + 1)));
            }
        }
        List<ReportOutcome> out = new ArrayList<>();
        for (int i = 0; i < analysis.rowCount(); i++) {
            Object id = analysis.value(i, idColumn);
            Double y = id == null ? null : labels.get(id.toString());
            if (y != null) {
                out.add(new ReportOutcome(analysis.time(i), score(analysis, i, scoreColumn), y));
            }
        }
        return out;
    }

    private static double score(ReportData d, int i, String column) {
        Object v = d.value(i, column);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new InvalidInputException(d.source() + " row " + (i + 1) + ": score column '" + column + "' was " + v + " but a number is expected");
    }

    private static double label(Object y, String column, String where) {
        return switch (y) {
            case Number n -> n.doubleValue();
            case Boolean b -> b ? 1.0 : 0.0;
            default -> throw new InvalidInputException(where + ": target column '" + column + "' was '" + y + "' but a number or boolean is expected");
        };
    }
}
