package dev.ferry.monitoring.report;

import static dev.ferry.monitoring.report.Html.escape;
import static dev.ferry.monitoring.report.Html.num;
import static dev.ferry.monitoring.report.Html.pct;

import dev.ferry.UnavailableException;
import dev.ferry.monitoring.drift.FeatureDrift;
import dev.ferry.monitoring.outcome.Task;
import dev.ferry.monitoring.report.MonitoringReport.Accuracy;
import dev.ferry.monitoring.report.MonitoringReport.AccuracyPoint;
import dev.ferry.monitoring.report.MonitoringReport.DatasetPoint;
import dev.ferry.monitoring.report.MonitoringReport.FeatureSection;
import dev.ferry.monitoring.report.MonitoringReport.WindowDrift;
import dev.ferry.monitoring.skew.SchemaIssue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * Draws a {@link MonitoringReport} as one self-contained HTML file: inline CSS and SVG, no
 * scripts, no external resources, so it opens offline and can be attached to a ticket. Every
 * string from the data (feature names, categories, file names) is escaped. The output depends on
 * the report only (no clock, no locale), so the same inputs render to the same bytes.
 */
public final class HtmlReport {

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1200px;color:#222;padding:0 16px}
            h1{font-size:1.6em;margin-bottom:4px}h2{border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:32px}
            table{border-collapse:collapse;margin:8px 0;font-size:.9em}th,td{border:1px solid #ddd;padding:3px 8px;text-align:left}
            th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
            .inputs{color:#555;margin-top:0}.badge{font-size:.75em;padding:2px 6px;border-radius:4px;margin-left:8px;vertical-align:middle}
            .drifted{background:#fde0dd;color:#a50f15}.stable{background:#e5f5e0;color:#006d2c}.none{background:#eee;color:#555}
            .charts{display:flex;flex-wrap:wrap;gap:12px}.chart{background:#fff;border:1px solid #eee}
            .axis{stroke:#444;stroke-width:1}.tick{stroke:#444}.grid{stroke:#eee}.diagonal{stroke:#999;stroke-dasharray:4 3}
            .threshold{stroke:#d62728;stroke-dasharray:6 4;stroke-width:1.5}.threshold-label{fill:#d62728;font-size:10px}
            .line{fill:none;stroke:#2c7fb8;stroke-width:1.5}.tick-label{font-size:10px;fill:#444}.axis-label{font-size:11px;fill:#444}
            .legend{font-size:11px;fill:#333}section.feature{border-top:1px dashed #ccc;margin-top:16px}
            """;

    private HtmlReport() {
    }

    /** The report as HTML. */
    public static String render(MonitoringReport r) {
        StringBuilder b = new StringBuilder(64 * 1024);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>").append(escape(r.title()))
                .append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<header>\n<h1>").append(escape(r.title()))
                .append("</h1>\n<p class=\"inputs\">Reference: ").append(escape(r.referenceDescription())).append(". Analysis: ")
                .append(escape(r.analysisDescription())).append(", ").append(r.windows().size()).append(' ').append(escape(r.windowing()))
                .append(".</p>\n</header>\n");
        summary(b, r);
        datasetDrift(b, r);
        r.prediction().ifPresent(p -> {
            b.append("<section id=\"prediction-drift\">\n<h2>Prediction drift</h2>\n");
            feature(b, p, "prediction");
            b.append("</section>\n");
        });
        r.accuracy().ifPresent(a -> accuracy(b, a));
        b.append("<section id=\"features\">\n<h2>Features</h2>\n");
        for (FeatureSection f : r.features()) {
            feature(b, f, "feature");
        }
        b.append("</section>\n");
        quality(b, r);
        return b.append("</body>\n</html>\n").toString();
    }

    /** Writes the report to {@code file} through a temporary file and an atomic move. */
    public static void write(MonitoringReport r, Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            // a plain new file (not createTempFile's owner-only one), so the report gets the umask's permissions and can be shared
            Path tmp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            try {
                Files.writeString(tmp, render(r), StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UnavailableException("report could not be written to " + file + ": " + e.getMessage(), e);
        }
    }

    private static String badge(Optional<FeatureDrift> d) {
        if (d.isEmpty()) {
            return "<span class=\"badge none\">not compared</span>";
        }
        return d.get().drifted() ? "<span class=\"badge drifted\">drift</span>" : "<span class=\"badge stable\">no drift</span>";
    }

    private static void summary(StringBuilder b, MonitoringReport r) {
        List<FeatureSection> drifted = r.driftedFeatures();
        b.append("<section id=\"summary\">\n<h2>Summary</h2>\n<p>");
        b.append(drifted.size()).append(" of ").append(r.features().size()).append(" features drifted over the analysis period");
        if (!drifted.isEmpty()) {
            b.append(": ").append(escape(String.join(", ", drifted.stream().map(FeatureSection::name).toList())));
        }
        b.append(". ");
        long datasetWindows = r.datasetDrift().stream().filter(DatasetPoint::drifted).count();
        b.append("Dataset drift (at least ").append(pct(r.datasetThreshold())).append(" of features drifted) in ").append(datasetWindows)
                .append(" of ").append(r.windows().size()).append(" windows");
        r.datasetDrift().stream().filter(DatasetPoint::drifted).findFirst()
                .ifPresent(p -> b.append(", first in ").append(escape(p.window())));
        b.append(".");
        r.prediction().ifPresent(p -> {
            b.append(" Prediction ").append(escape(p.name())).append(": ")
                    .append(p.overall().map(d -> d.drifted() ? "drifted" : "no drift").orElse("not compared"));
            p.firstDriftedWindow().ifPresent(w -> b.append(", first in ").append(escape(w)));
            b.append(".");
        });
        r.accuracy().ifPresent(a -> {
            String metric = a.task() == Task.CLASSIFICATION ? "auc" : "rmse";
            boolean higherBetter = a.task() == Task.CLASSIFICATION;
            a.perWindow().stream().filter(p -> !p.metrics().get(metric).isNaN())
                    .min((x, y) -> higherBetter ? Double.compare(x.metrics().get(metric), y.metrics().get(metric))
                            : Double.compare(y.metrics().get(metric), x.metrics().get(metric)))
                    .ifPresent(p -> b.append(" Worst ").append(metric.toUpperCase(java.util.Locale.ROOT)).append(": ")
                            .append(num(p.metrics().get(metric))).append(" in ").append(escape(p.window())).append("."));
        });
        b.append("</p>\n<table class=\"summary\">\n<tr><th>feature</th><th>verdict</th><th>method</th><th>statistic</th><th>threshold</th>"
                + "<th>drifted windows</th><th>first drifted window</th></tr>\n");
        for (FeatureSection f : r.features()) {
            summaryRow(b, f, "feature");
        }
        r.prediction().ifPresent(p -> summaryRow(b, p, "prediction"));
        b.append("</table>\n</section>\n");
    }

    private static void summaryRow(StringBuilder b, FeatureSection f, String prefix) {
        b.append("<tr><td><a href=\"#").append(Html.id(prefix + "-", f.name())).append("\">").append(escape(f.name())).append("</a></td><td>")
                .append(badge(f.overall())).append("</td>");
        f.overall().ifPresentOrElse(d -> b.append("<td>").append(escape(d.method().id())).append("</td><td class=\"n\">")
                        .append(num(d.statistic())).append("</td><td class=\"n\">").append(num(d.threshold())).append("</td>"),
                () -> b.append("<td>-</td><td>-</td><td>-</td>"));
        b.append("<td class=\"n\">").append(f.driftedWindows()).append(" of ").append(f.perWindow().size()).append("</td><td>")
                .append(escape(f.firstDriftedWindow().orElse("-"))).append("</td></tr>\n");
    }

    private static void datasetDrift(StringBuilder b, MonitoringReport r) {
        b.append("<section id=\"dataset-drift\">\n<h2>Dataset drift</h2>\n<p>Share of features that drifted in each window; the dataset drifted where it reaches ")
                .append(pct(r.datasetThreshold())).append(".</p>\n<div class=\"charts\">");
        List<String> windows = r.datasetDrift().stream().map(DatasetPoint::window).toList();
        b.append(Charts.series("share of drifted features per window", "drifted share", windows,
                r.datasetDrift().stream().map(DatasetPoint::driftedShare).toList(),
                r.datasetDrift().stream().map(DatasetPoint::drifted).toList(), r.datasetThreshold(), false, true));
        b.append("</div>\n<table>\n<tr><th>window</th><th>rows</th><th>drifted share</th><th>dataset drift</th></tr>\n");
        for (int i = 0; i < r.windows().size(); i++) {
            DatasetPoint p = r.datasetDrift().get(i);
            b.append("<tr><td>").append(escape(p.window())).append("</td><td class=\"n\">").append(r.windows().get(i).rows())
                    .append("</td><td class=\"n\">").append(pct(p.driftedShare())).append("</td><td>").append(p.drifted() ? "yes" : "no")
                    .append("</td></tr>\n");
        }
        b.append("</table>\n</section>\n");
    }

    private static void feature(StringBuilder b, FeatureSection f, String prefix) {
        b.append("<section class=\"").append(prefix).append("\" id=\"").append(Html.id(prefix + "-", f.name())).append("\" data-name=\"")
                .append(escape(f.name())).append("\">\n<h3>").append(escape(f.name())).append(badge(f.overall())).append("</h3>\n<p>");
        f.overall().ifPresentOrElse(d -> b.append("Over the analysis period: ").append(escape(d.method().id())).append(' ')
                        .append(d.method().isPValue() ? "p-value " : "distance ").append(num(d.statistic())).append(", threshold ")
                        .append(num(d.threshold())).append(" (").append(d.drifted() ? "drift" : "no drift").append("; ")
                        .append(d.referenceCount()).append(" reference and ").append(d.currentCount()).append(" analysis values")
                        .append(d.approximate() ? ", from profiles" : "").append(")."),
                () -> b.append("Not compared: the feature has no values on one side, or values of another kind."));
        f.firstDriftedWindow().ifPresent(w -> b.append(" Drifted in ").append(f.driftedWindows()).append(" of ").append(f.perWindow().size())
                .append(" windows, first in ").append(escape(w)).append("."));
        b.append("</p>\n<div class=\"charts\">");
        b.append(Charts.distribution(f.name(), f.distribution()));
        Optional<FeatureDrift> any = f.overall().or(() -> f.perWindow().stream().map(WindowDrift::drift).flatMap(Optional::stream).findFirst());
        if (any.isPresent()) {
            FeatureDrift d = any.get();
            b.append(Charts.series(f.name() + " drift per window (" + d.method().id() + ")",
                    d.method().id() + (d.method().isPValue() ? " p-value" : ""),
                    f.perWindow().stream().map(WindowDrift::window).toList(),
                    f.perWindow().stream().map(w -> w.drift().map(FeatureDrift::statistic).orElse(Double.NaN)).toList(),
                    f.perWindow().stream().map(w -> w.drift().map(FeatureDrift::drifted).orElse(false)).toList(),
                    d.threshold(), d.method().isPValue(), false));
        }
        b.append("</div>\n</section>\n");
    }

    private static void accuracy(StringBuilder b, Accuracy a) {
        List<String> metrics = a.task() == Task.CLASSIFICATION ? List.of("auc", "accuracy") : List.of("mae", "rmse");
        b.append("<section id=\"accuracy\">\n<h2>Accuracy over time</h2>\n<p>").append(a.outcomes()).append(" predictions with outcomes from ")
                .append(escape(a.source())).append(".</p>\n<div class=\"charts\">");
        List<String> windows = a.perWindow().stream().map(AccuracyPoint::window).toList();
        for (String m : metrics) {
            b.append(Charts.series(m + " per window", m, windows, a.perWindow().stream().map(p -> p.metrics().get(m)).toList(),
                    a.perWindow().stream().map(p -> false).toList(), Double.NaN, false, a.task() == Task.CLASSIFICATION));
        }
        a.calibration().ifPresent(c -> b.append(Charts.calibration(c)));
        b.append("</div>\n<table>\n<tr><th>window</th><th>outcomes</th>");
        metrics.forEach(m -> b.append("<th>").append(m).append("</th>"));
        b.append("</tr>\n");
        for (AccuracyPoint p : a.perWindow()) {
            b.append("<tr><td>").append(escape(p.window())).append("</td><td class=\"n\">").append(p.count()).append("</td>");
            metrics.forEach(m -> b.append("<td class=\"n\">").append(num(p.metrics().get(m))).append("</td>"));
            b.append("</tr>\n");
        }
        b.append("</table>\n");
        a.calibration().ifPresent(c -> b.append("<p>Expected calibration error over the analysis period: ")
                .append(num(c.expectedCalibrationError())).append(".</p>\n"));
        b.append("</section>\n");
    }

    private static void quality(StringBuilder b, MonitoringReport r) {
        b.append("<section id=\"quality\">\n<h2>Skew and data quality</h2>\n");
        if (r.schemaIssues().isEmpty()) {
            b.append("<p>No schema differences: every reference feature is in the analysis data with the same type.</p>\n");
        } else {
            b.append("<ul class=\"schema-issues\">\n");
            for (SchemaIssue i : r.schemaIssues()) {
                b.append("<li>").append(escape(i.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '))).append(": ")
                        .append(escape(i.message())).append("</li>\n");
            }
            b.append("</ul>\n");
        }
        b.append("<table class=\"quality\">\n<tr><th>feature</th><th>reference nulls</th><th>analysis nulls</th><th>null-rate skew</th>"
                + "<th>wrong type</th><th>outside reference range</th></tr>\n");
        for (FeatureSection f : r.features()) {
            qualityRow(b, f);
        }
        r.prediction().ifPresent(p -> qualityRow(b, p));
        b.append("</table>\n</section>\n");
    }

    private static void qualityRow(StringBuilder b, FeatureSection f) {
        b.append("<tr><td>").append(escape(f.name())).append("</td><td class=\"n\">").append(pct(f.quality().referenceNullRate()))
                .append("</td><td class=\"n\">").append(pct(f.quality().analysisNullRate())).append("</td><td>")
                .append(f.skew().map(s -> s.nullRateSkewed() ? "yes" : "no").orElse("-")).append("</td><td class=\"n\">")
                .append(pct(f.quality().invalidRate())).append("</td><td class=\"n\">").append(pct(f.quality().outOfRangeRate()))
                .append("</td></tr>\n");
    }
}
