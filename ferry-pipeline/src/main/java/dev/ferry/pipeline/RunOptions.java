package dev.ferry.pipeline;

import java.util.Map;

/**
 * How to run a pipeline this time.
 *
 * @param params     parameter overrides ({@code --param k=v}); each must name a parameter the pipeline defines
 * @param force      ignore the cache: run every step
 * @param message    free text recorded with the run
 * @param reproduces the run this one repeats, or null
 */
public record RunOptions(Map<String, String> params, boolean force, String message, String reproduces) {

    public RunOptions {
        params = params == null ? Map.of() : Map.copyOf(params);
        message = message == null ? "" : message;
    }

    public static RunOptions defaults() {
        return new RunOptions(Map.of(), false, "", null);
    }

    public RunOptions force(boolean on) {
        return new RunOptions(params, on, message, reproduces);
    }

    public RunOptions message(String text) {
        return new RunOptions(params, force, text, reproduces);
    }

    public RunOptions params(Map<String, String> overrides) {
        return new RunOptions(overrides, force, message, reproduces);
    }
}
