package dev.ferry.monitoring.report;

import static dev.ferry.monitoring.report.Html.escape;
import static dev.ferry.monitoring.report.Html.xy;

import dev.ferry.monitoring.outcome.Calibration;
import dev.ferry.monitoring.report.MonitoringReport.Histogram;
import java.util.List;

/**
 * The report's charts as inline SVG, drawn from numbers only (no scripts, no external fonts or
 * images): overlaid distributions, a series over windows with its threshold line, and a
 * calibration plot with the diagonal. Coordinates are printed with two decimals in the root
 * locale, so the same numbers give the same bytes.
 */
final class Charts {

    static final String REFERENCE = "#4c78a8";
    static final String ANALYSIS = "#f58518";
    static final String ALERT = "#d62728";
    static final String OK = "#2c7fb8";

    private static final int W = 560;
    private static final int H = 220;
    private static final int LEFT = 58;
    private static final int RIGHT = 14;
    private static final int TOP = 14;
    private static final int BOTTOM = 46;
    /** p-values below this are drawn at it (a log axis has no zero). */
    static final double P_FLOOR = 1e-300;

    private Charts() {
    }

    private static StringBuilder open(String cls, String label, int w, int h) {
        StringBuilder b = new StringBuilder();
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart ").append(cls).append("\" width=\"").append(w)
                .append("\" height=\"").append(h).append("\" viewBox=\"0 0 ").append(w).append(' ').append(h)
                .append("\" role=\"img\" aria-label=\"").append(escape(label)).append("\"><title>").append(escape(label)).append("</title>");
        return b;
    }

    private static void text(StringBuilder b, double x, double y, String anchor, String cls, String s) {
        b.append("<text x=\"").append(xy(x)).append("\" y=\"").append(xy(y)).append("\" text-anchor=\"").append(anchor)
                .append("\" class=\"").append(cls).append("\">").append(escape(s)).append("</text>");
    }

    /** Text turned a quarter to the left around its anchor, for a y axis's name. */
    private static void verticalText(StringBuilder b, double x, double y, String s) {
        b.append("<text x=\"").append(xy(x)).append("\" y=\"").append(xy(y)).append("\" text-anchor=\"middle\" class=\"axis-label\" transform=\"rotate(-90 ")
                .append(xy(x)).append(' ').append(xy(y)).append(")\">").append(escape(s)).append("</text>");
    }

    private static void line(StringBuilder b, double x1, double y1, double x2, double y2, String cls) {
        b.append("<line x1=\"").append(xy(x1)).append("\" y1=\"").append(xy(y1)).append("\" x2=\"").append(xy(x2))
                .append("\" y2=\"").append(xy(y2)).append("\" class=\"").append(cls).append("\"/>");
    }

    private static void axes(StringBuilder b) {
        line(b, LEFT, TOP, LEFT, H - BOTTOM, "axis");
        line(b, LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM, "axis");
    }

    private static void legend(StringBuilder b, String[] names, String[] colors) {
        double x = LEFT + 6;
        for (int i = 0; i < names.length; i++) {
            b.append("<rect x=\"").append(xy(x)).append("\" y=\"").append(H - 14).append("\" width=\"10\" height=\"10\" fill=\"")
                    .append(colors[i]).append("\"/>");
            text(b, x + 14, H - 5, "start", "legend", names[i]);
            x += 20 + 7 * names[i].length();
        }
    }

    /** Reference and analysis shares overlaid: bins of a histogram, or side-by-side bars per category. */
    static String distribution(String feature, Histogram h) {
        StringBuilder b = open("distribution", "distribution of " + feature + ": reference and analysis", W, H);
        axes(b);
        double max = 0;
        for (int i = 0; i < h.reference().size(); i++) {
            max = Math.max(max, Math.max(h.reference().get(i), h.analysis().get(i)));
        }
        double tickStep = Html.niceStep(max <= 0 ? 1 : max);
        max = max <= 0 ? 1 : Math.ceil(max * 1.02 / tickStep) * tickStep;
        double plotW = W - LEFT - RIGHT;
        double plotH = H - TOP - BOTTOM;
        for (double v = 0; v <= max + tickStep / 2; v += tickStep) {
            double y = H - BOTTOM - plotH * v / max;
            line(b, LEFT - 3, y, LEFT, y, "tick");
            text(b, LEFT - 5, y + 3, "end", "tick-label", Html.pct(v));
        }
        int n = h.reference().size();
        boolean numeric = h.labels().isEmpty();
        double slot = n == 0 ? plotW : plotW / n;
        for (int i = 0; i < n; i++) {
            double x0 = LEFT + slot * i;
            double hr = plotH * h.reference().get(i) / max;
            double ha = plotH * h.analysis().get(i) / max;
            if (numeric) {
                bar(b, x0 + 1, slot - 2, hr, REFERENCE, "bar reference");
                bar(b, x0 + 1, slot - 2, ha, ANALYSIS, "bar analysis");
            } else {
                double bw = (slot - 4) / 2;
                bar(b, x0 + 2, bw, hr, REFERENCE, "bar reference");
                bar(b, x0 + 2 + bw, bw, ha, ANALYSIS, "bar analysis");
                String label = h.labels().get(i);
                text(b, x0 + slot / 2, H - BOTTOM + 13, "middle", "tick-label",
                        label.length() > 10 ? label.substring(0, 9) + "\u2026" : label);
            }
        }
        if (numeric && n > 0) {
            for (int i = 0; i <= n; i += Math.max(1, n / 4)) {
                double x = LEFT + slot * i;
                line(b, x, H - BOTTOM, x, H - BOTTOM + 3, "tick");
                text(b, x, H - BOTTOM + 14, "middle", "tick-label", Html.num(h.edges().get(i)));
            }
        }
        legend(b, new String[] {"reference", "analysis"}, new String[] {REFERENCE, ANALYSIS});
        return b.append("</svg>").toString();
    }

    private static void bar(StringBuilder b, double x, double w, double h, String color, String cls) {
        b.append("<rect class=\"").append(cls).append("\" x=\"").append(xy(x)).append("\" y=\"").append(xy(H - BOTTOM - h))
                .append("\" width=\"").append(xy(Math.max(0.5, w))).append("\" height=\"").append(xy(h)).append("\" fill=\"")
                .append(color).append("\" fill-opacity=\"0.55\"/>");
    }

    /**
     * A value per window as a line with its threshold dashed; flagged windows are red. With
     * {@code pValues} the axis is logarithmic and points up as the p-value falls (more drift);
     * with {@code unitRange} it runs from 0 to 1 (shares, AUC, accuracy).
     */
    static String series(String label, String yName, List<String> windows, List<Double> values, List<Boolean> flagged,
                         double threshold, boolean pValues, boolean unitRange) {
        StringBuilder b = open("series", label, W, H);
        axes(b);
        double plotW = W - LEFT - RIGHT;
        double plotH = H - TOP - BOTTOM;
        double top;
        if (pValues) {
            double worst = -Math.log10(threshold);
            for (Double v : values) {
                if (v != null && !Double.isNaN(v)) {
                    worst = Math.max(worst, -Math.log10(Math.max(P_FLOOR, v)));
                }
            }
            top = worst * 1.05;
        } else {
            top = Double.isNaN(threshold) ? 0 : threshold;
            for (Double v : values) {
                if (v != null && !Double.isNaN(v)) {
                    top = Math.max(top, v);
                }
            }
            top = top <= 0 ? 1 : top * 1.05;
        }
        if (unitRange) {
            top = 1;
        }
        double tickStep = pValues ? Math.max(1, Html.niceStep(top)) : Html.niceStep(top);
        top = Math.ceil(top / tickStep) * tickStep;
        final double topF = top;
        java.util.function.DoubleUnaryOperator yOf = v -> {
            double t = pValues ? -Math.log10(Math.max(P_FLOOR, v)) : v;
            return H - BOTTOM - plotH * Math.min(t, topF) / topF;
        };
        for (double v = 0; v <= top + tickStep / 2; v += tickStep) {
            double y = H - BOTTOM - plotH * v / top;
            line(b, LEFT - 3, y, LEFT, y, "tick");
            line(b, LEFT, y, W - RIGHT, y, "grid");
            text(b, LEFT - 5, y + 3, "end", "tick-label", pValues ? (v == 0 ? "1" : "1e-" + Html.num(v)) : Html.num(v));
        }
        verticalText(b, 12, TOP + plotH / 2, yName);
        int n = windows.size();
        double step = n <= 1 ? 0 : plotW / (n - 1);
        double x0 = n <= 1 ? LEFT + plotW / 2 : LEFT;
        if (!Double.isNaN(threshold)) {
            double ty = yOf.applyAsDouble(threshold);
            line(b, LEFT, ty, W - RIGHT, ty, "threshold");
            text(b, W - RIGHT - 2, ty - 4, "end", "threshold-label", "threshold " + Html.num(threshold));
        }
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < n; i++) {
            Double v = values.get(i);
            if (v == null || Double.isNaN(v)) {
                continue;
            }
            path.append(path.isEmpty() ? "M" : " L").append(xy(x0 + step * i)).append(' ').append(xy(yOf.applyAsDouble(v)));
        }
        if (!path.isEmpty()) {
            b.append("<path class=\"line\" d=\"").append(path).append("\"/>");
        }
        for (int i = 0; i < n; i++) {
            Double v = values.get(i);
            if (v == null || Double.isNaN(v)) {
                continue;
            }
            boolean bad = flagged.get(i);
            b.append("<circle class=\"point").append(bad ? " flagged" : "").append("\" cx=\"").append(xy(x0 + step * i)).append("\" cy=\"")
                    .append(xy(yOf.applyAsDouble(v))).append("\" r=\"3\" fill=\"").append(bad ? ALERT : OK).append("\"><title>")
                    .append(escape(windows.get(i) + ": " + Html.num(v))).append("</title></circle>");
        }
        int every = Math.max(1, (int) Math.ceil(n / 8.0));
        for (int i = 0; i < n; i += every) {
            text(b, x0 + step * i, H - BOTTOM + 14, "middle", "tick-label", windows.get(i));
        }
        return b.append("</svg>").toString();
    }

    /** Mean predicted probability against observed rate per bucket, with the diagonal of perfect calibration. */
    static String calibration(Calibration c) {
        int size = 300;
        int m = 44;
        double plot = size - m - 16;
        StringBuilder b = open("calibration", "calibration: predicted probability against observed rate", size, size);
        line(b, m, 16, m, 16 + plot, "axis");
        line(b, m, 16 + plot, m + plot, 16 + plot, "axis");
        line(b, m, 16 + plot, m + plot, 16, "diagonal");
        for (int t = 0; t <= 4; t++) {
            double v = t / 4.0;
            text(b, m - 5, 16 + plot - plot * v + 3, "end", "tick-label", Html.num(v));
            text(b, m + plot * v, 16 + plot + 14, "middle", "tick-label", Html.num(v));
        }
        text(b, m + plot / 2, size - 4, "middle", "axis-label", "mean predicted");
        verticalText(b, 10, 16 + plot / 2, "observed rate");
        StringBuilder path = new StringBuilder();
        for (Calibration.Bucket k : c.buckets()) {
            if (k.count() == 0) {
                continue;
            }
            double x = m + plot * k.meanPredicted();
            double y = 16 + plot - plot * k.observedRate();
            path.append(path.isEmpty() ? "M" : " L").append(xy(x)).append(' ').append(xy(y));
        }
        if (!path.isEmpty()) {
            b.append("<path class=\"line\" d=\"").append(path).append("\"/>");
        }
        for (Calibration.Bucket k : c.buckets()) {
            if (k.count() == 0) {
                continue;
            }
            b.append("<circle class=\"point\" cx=\"").append(xy(m + plot * k.meanPredicted())).append("\" cy=\"")
                    .append(xy(16 + plot - plot * k.observedRate())).append("\" r=\"3.5\" fill=\"").append(OK).append("\"><title>")
                    .append(escape("[" + Html.num(k.lower()) + ", " + Html.num(k.upper()) + "): n=" + k.count() + ", predicted "
                            + Html.num(k.meanPredicted()) + ", observed " + Html.num(k.observedRate())))
                    .append("</title></circle>");
        }
        return b.append("</svg>").toString();
    }
}
