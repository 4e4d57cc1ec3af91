package dev.ferry.serving;

/** What produced an answer: the routed model, or a step of the fallback chain. */
public enum AnswerSource {
    /** The model the deployment routed the request to. */
    MODEL,
    /** The deployment's fallback model, after the routed model erred or ran out of time. */
    FALLBACK_MODEL,
    /** A precomputed answer ({@link PrecomputedAnswers}). */
    PRECOMPUTED,
    /** The deployment's static default output. */
    STATIC_DEFAULT
}
