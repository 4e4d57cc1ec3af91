package dev.ferry.pipeline;

import java.util.List;
import java.util.Map;

/**
 * A step as it will run: a {@code foreach} expanded into one planned step per combination, with
 * its parameters substituted and its dependencies on concrete planned steps.
 *
 * @param id       unique id ({@code train[country=US]} for an expansion)
 * @param spec     the step as written
 * @param bindings this expansion's {@code foreach} values
 * @param deps     ids of the planned steps it waits for
 * @param params   parameters after substitution
 * @param seed     its seed: the {@code seed} parameter if given, else the pipeline's
 */
public record PlannedStep(String id, StepSpec spec, Map<String, String> bindings, List<String> deps, Map<String, Object> params,
                          long seed) {
}
