package dev.ferry.batch;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.ferry.InvalidInputException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A five-field Unix cron expression ({@code minute hour day-of-month month day-of-week}, e.g.
 * {@code 0 *}{@code /2 * * *} for every two hours) in a time zone, parsed and evaluated by cron-utils.
 */
public final class CronSchedule {

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final String expression;
    private final ZoneId zone;
    private final ExecutionTime times;

    private CronSchedule(String expression, ZoneId zone, ExecutionTime times) {
        this.expression = expression;
        this.zone = zone;
        this.times = times;
    }

    /** Parses {@code expression}; InvalidInputException names it and says what was expected. */
    public static CronSchedule parse(String expression, ZoneId zone) {
        if (expression == null || expression.isBlank()) {
            throw new InvalidInputException("cron was '" + expression + "' but it must be a five-field cron expression such as '0 */2 * * *'");
        }
        Cron cron;
        try {
            cron = PARSER.parse(expression.trim()).validate();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("cron was '" + expression + "' but it must be a five-field Unix cron expression"
                    + " (minute hour day-of-month month day-of-week) such as '0 */2 * * *': " + e.getMessage(), e);
        }
        return new CronSchedule(expression.trim(), zone, ExecutionTime.forCron(cron));
    }

    public String expression() {
        return expression;
    }

    /** The latest fire time at or before {@code t}. */
    public Optional<Instant> latestAtOrBefore(Instant t) {
        ZonedDateTime z = t.atZone(zone);
        if (times.isMatch(z.withNano(0)) && z.getSecond() == 0 && z.getNano() == 0) {
            return Optional.of(t);
        }
        return times.lastExecution(z).map(ZonedDateTime::toInstant);
    }

    /** The first fire time strictly after {@code t}. */
    public Optional<Instant> nextAfter(Instant t) {
        return times.nextExecution(t.atZone(zone)).map(ZonedDateTime::toInstant);
    }

    /** How many fire times lie strictly between {@code from} and {@code to} (capped at {@code cap}). */
    public int countBetween(Instant from, Instant to, int cap) {
        int n = 0;
        Optional<Instant> t = nextAfter(from);
        while (t.isPresent() && t.get().isBefore(to) && n < cap) {
            n++;
            t = nextAfter(t.get());
        }
        return n;
    }

    @Override
    public String toString() {
        return expression + " (" + zone + ")";
    }
}
