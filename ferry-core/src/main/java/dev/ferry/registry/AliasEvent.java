package dev.ferry.registry;

import java.time.Instant;

/**
 * One move of an alias, kept forever in the audit history.
 *
 * @param model       model name
 * @param alias       alias name
 * @param fromVersion the version it pointed at before, or null if it was new
 * @param toVersion   the version it points at after, or null if it was removed
 * @param actor       who moved it
 * @param at          when
 * @param reason      why (free text; "rollback" for rollbacks)
 */
public record AliasEvent(String model, String alias, Integer fromVersion, Integer toVersion, String actor,
                         Instant at, String reason) {
}
