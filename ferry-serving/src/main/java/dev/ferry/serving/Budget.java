package dev.ferry.serving;

import dev.ferry.DeadlineExceededException;
import dev.ferry.FerryException;
import dev.ferry.UnavailableException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for a model call until a deadline. A call past its deadline is cancelled (interrupted)
 * and reported as a timeout; the caller moves on to the fallback chain at once.
 */
final class Budget {

    /** A value, or why there is none. */
    record Result<T>(Optional<T> value, String cause, Throwable error) {

        RuntimeException toException(String what) {
            if (error == null) {
                return new DeadlineExceededException(what + " did not answer within its time budget and no fallback answered");
            }
            return new UnavailableException(what + " failed (" + error.getMessage() + ") and no fallback answered", error);
        }
    }

    <T> Result<T> await(Future<T> future, long deadlineNanos) {
        long remaining = deadlineNanos - System.nanoTime();
        try {
            return new Result<>(Optional.of(future.get(Math.max(0, remaining), TimeUnit.NANOSECONDS)), "none", null);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Result<>(Optional.empty(), "timeout", null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String kind = cause instanceof FerryException fe ? fe.kind().name().toLowerCase(Locale.ROOT) : "model_error";
            return new Result<>(Optional.empty(), kind, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return new Result<>(Optional.empty(), "interrupted", e);
        }
    }
}
