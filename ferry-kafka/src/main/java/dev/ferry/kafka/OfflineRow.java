package dev.ferry.kafka;

import dev.ferry.online.OnlineRecord;
import java.util.Map;

/**
 * One accepted message as the offline log stores it: the join keys by name (typed), the record
 * that went online, and its Kafka offset.
 */
public record OfflineRow(Map<String, Object> keys, OnlineRecord record, long offset) {
}
