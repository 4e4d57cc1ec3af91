package dev.ferry.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.ferry.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The load options the ONNX runtime understands, parsed from {@code ModelLoadRequest.options}.
 * Every problem is reported at once, so a bad config is fixed in one round.
 *
 * @param intraOpThreads threads ONNX Runtime uses inside one operator. Default 1: a server runs many
 *                       requests at once and per-request thread pools only contend; 0 lets ONNX Runtime
 *                       choose (one per core), for large batches
 * @param optimization   graph optimisation level
 */
record OnnxOptions(int intraOpThreads, OrtSession.SessionOptions.OptLevel optimization) {

    static final String THREADS = "threads";
    static final String OPTIMIZATION = "optimization";
    static final List<String> KNOWN = List.of(THREADS, OPTIMIZATION);

    private static final Map<String, OrtSession.SessionOptions.OptLevel> LEVELS = Map.of(
            "none", OrtSession.SessionOptions.OptLevel.NO_OPT,
            "basic", OrtSession.SessionOptions.OptLevel.BASIC_OPT,
            "extended", OrtSession.SessionOptions.OptLevel.EXTENDED_OPT,
            "all", OrtSession.SessionOptions.OptLevel.ALL_OPT);

    static OnnxOptions parse(Map<String, String> options) {
        List<String> problems = new ArrayList<>();
        int threads = 1;
        OrtSession.SessionOptions.OptLevel level = OrtSession.SessionOptions.OptLevel.ALL_OPT;
        for (Map.Entry<String, String> e : new TreeMap<>(options).entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            switch (key) {
                case THREADS -> {
                    try {
                        threads = Integer.parseInt(value.trim());
                        if (threads < 0) {
                            problems.add("option 'threads' was '" + value + "' but it must be 0 (one per core) or a positive count");
                        }
                    } catch (NumberFormatException ex) {
                        problems.add("option 'threads' was '" + value + "' but it must be an integer (0 = one per core)");
                    }
                }
                case OPTIMIZATION -> {
                    OrtSession.SessionOptions.OptLevel l = value == null ? null : LEVELS.get(value.trim().toLowerCase(Locale.ROOT));
                    if (l == null) {
                        problems.add("option 'optimization' was '" + value + "' but it must be one of none, basic, extended, all");
                    } else {
                        level = l;
                    }
                }
                default -> problems.add("option '" + key + "' is not known to the ONNX runtime; known options: " + KNOWN);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(String.join("; ", problems));
        }
        return new OnnxOptions(threads, level);
    }

    /** Session options for these settings; the caller closes them. */
    OrtSession.SessionOptions toSessionOptions() throws OrtException {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        try {
            so.setIntraOpNumThreads(intraOpThreads);
            so.setOptimizationLevel(optimization);
            return so;
        } catch (OrtException | RuntimeException e) {
            so.close();
            throw e;
        }
    }
}
