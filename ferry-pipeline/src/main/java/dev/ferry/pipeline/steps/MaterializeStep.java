package dev.ferry.pipeline.steps;

import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.OfflineStore;
import dev.ferry.features.RegisteredView;
import dev.ferry.features.materialize.MaterializationResult;
import dev.ferry.features.materialize.Materializer;
import dev.ferry.features.materialize.Watermarks;
import dev.ferry.pipeline.StepContext;
import dev.ferry.pipeline.StepResult;
import dev.ferry.pipeline.StepType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code materialize}: copies what arrived since each view's watermark from the offline store into
 * the online store ({@code views}, default every online view of the feature registry), as
 * {@code ferry features materialize} does. Rerunning writes nothing new. Row counts are values,
 * not metrics: they depend on what earlier runs already wrote.
 */
public final class MaterializeStep implements StepType {

    @Override
    public String name() {
        return "materialize";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public StepResult run(StepContext context) {
        FeatureRegistry registry = context.environment().features();
        List<String> views = new ArrayList<>(context.list("views"));
        if (views.isEmpty()) {
            registry.views().stream().filter(v -> v.view().online()).map(RegisteredView::name).forEach(views::add);
        }
        Map<String, String> values = new LinkedHashMap<>();
        try (OfflineStore offline = OfflineStore.open(registry)) {
            Materializer m = Materializer.builder().registry(registry).offline(offline)
                    .online(context.environment().requireOnlineStore(context.id()))
                    .watermarks(Watermarks.in(context.environment().dataDir().resolve("features")))
                    .clock(context.environment().clock()).build();
            for (String v : views) {
                MaterializationResult r = m.materializeIncremental(v, (done, total) -> { });
                context.log().printf("%s: %d entities written, event time %s .. %s%n", r.view(), r.rows(), r.from(), r.to());
                values.put("rows." + r.view(), String.valueOf(r.rows()));
                values.put("watermark." + r.view(), r.to().toString());
            }
        }
        return StepResult.of(Map.of(), values);
    }
}
