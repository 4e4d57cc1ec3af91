package dev.ferry.pipeline.steps;

import dev.ferry.pipeline.StepContext;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What every training step starts from: the table ({@code data}, or the upstream training set),
 * split by the step's seed into training and held-out rows ({@code test_share}), and the number
 * of boosting {@code rounds}; parameters checked and refused by name.
 *
 * @param all     every row, with the feature columns (the {@code label} and {@code exclude}d ones left out)
 * @param train   the rows to train on
 * @param heldOut the rows kept for {@code evaluate}
 * @param testShare the held-out share
 * @param rounds  boosting rounds
 */
record TrainingInput(Table all, Table train, Table heldOut, double testShare, int rounds) {

    /** The parameters every training step requires. */
    static Set<String> requiredParams() {
        return Set.of("label");
    }

    /** The step's input file: its {@code data} parameter, when given (else it trains on its upstream output). */
    static List<Path> inputFiles(StepContext context) {
        return context.optional("data").map(d -> List.of(context.path("data"))).orElse(List.of());
    }

    static TrainingInput of(StepContext context) {
        Path data = context.optional("data").isPresent() ? context.path("data") : context.upstreamFile(TrainingSetStep.OUTPUT);
        double testShare = context.decimal("test_share", 0.2);
        if (!(testShare > 0 && testShare < 1)) {
            throw context.invalid("test_share", testShare, "a share between 0 and 1 (exclusive)");
        }
        int rounds = context.integer("rounds", 100);
        if (rounds < 1) {
            throw context.invalid("rounds", rounds, "a positive number of boosting rounds");
        }
        Table all = Table.read(data, context.string("label"), new HashSet<>(context.list("exclude")), context.log());
        Table[] split = all.split(testShare, context.seed());
        return new TrainingInput(all, split[0], split[1], testShare, rounds);
    }
}
