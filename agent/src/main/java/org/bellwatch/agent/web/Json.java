package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;
import java.time.LocalDate;

/** The API's JSON: snake_case keys, instants as ISO-8601 UTC text, dates as YYYY-MM-DD. */
final class Json {
  private Json() {}

  static ObjectMapper mapper() {
    SimpleModule time = new SimpleModule("bellwatch-time");
    time.addSerializer(Instant.class, ToStringSerializer.instance);
    time.addSerializer(LocalDate.class, ToStringSerializer.instance);
    return new ObjectMapper()
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .registerModule(time);
  }
}
