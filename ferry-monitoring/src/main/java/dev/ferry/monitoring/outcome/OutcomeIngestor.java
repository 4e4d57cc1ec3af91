package dev.ferry.monitoring.outcome;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads outcomes from a source, validates them, joins them to logged predictions and stores the
 * joined pairs: batch by batch, each batch stored (atomically) before the source is told to
 * commit. A bad record is rejected and logged with its field, value and what was expected and
 * never stops the run. An outcome without a time is stamped with the ingestion time.
 */
public final class OutcomeIngestor {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeIngestor.class);
    private static final int KEPT_REJECTIONS = 1000;

    private final OutcomeParser parser;
    private final OutcomeJoiner joiner;
    private final OutcomeStore store;
    private final Clock clock;
    private final int batchSize;

    /**
     * @param schema      what the source's fields mean
     * @param predictions the logged predictions to join to
     * @param window      how far back from an outcome an entity's prediction may be (entity joins)
     * @param store       where joined outcomes go
     * @param clock       stamps outcomes that carry no time
     * @param batchSize   records per stored batch
     */
    public OutcomeIngestor(OutcomeSchema schema, List<LoggedPrediction> predictions, Duration window, OutcomeStore store,
                           Clock clock, int batchSize) {
        if (batchSize <= 0) {
            throw new dev.ferry.InvalidInputException("ingest batch size was " + batchSize + " but it must be positive");
        }
        this.parser = new OutcomeParser(Objects.requireNonNull(schema, "schema"));
        this.joiner = new OutcomeJoiner(predictions, window);
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.batchSize = batchSize;
    }

    /** Ingests everything the source has now; {@code progress} hears the running count of records read. */
    public IngestReport ingest(OutcomeSource source, LongConsumer progress) {
        long read = 0;
        long joined = 0;
        long unmatched = 0;
        long rejectedCount = 0;
        List<Rejection> rejected = new ArrayList<>();
        List<SourceRow> batch;
        while (!(batch = source.next(batchSize)).isEmpty()) {
            List<JoinedOutcome> out = new ArrayList<>();
            for (SourceRow row : batch) {
                read++;
                OutcomeParser.Parsed p = parser.parse(row);
                if (p.rejection() != null) {
                    rejectedCount++;
                    LOG.warn("outcome rejected: {}", p.rejection().message());
                    if (rejected.size() < KEPT_REJECTIONS) {
                        rejected.add(p.rejection());
                    }
                    continue;
                }
                List<LoggedPrediction> matches = joiner.match(p.outcome());
                if (matches.isEmpty()) {
                    unmatched++;
                    continue;
                }
                var at = p.outcome().at().orElseGet(clock::instant);
                for (LoggedPrediction m : matches) {
                    out.add(new JoinedOutcome(m, at, p.outcome().label()));
                }
            }
            store.append(out);
            source.commit();
            joined += out.size();
            progress.accept(read);
        }
        return new IngestReport(read, joined, unmatched, rejectedCount, rejected);
    }
}
