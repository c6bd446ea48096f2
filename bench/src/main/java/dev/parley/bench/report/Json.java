package dev.parley.bench.report;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.JsonWriter;
import jakarta.json.stream.JsonGenerator;
import java.io.StringWriter;
import java.util.Collection;
import java.util.Map;

/**
 * Writes maps, lists, strings, numbers and booleans as indented JSON (with jakarta.json; NaN and
 * infinities become null, integral doubles are written as integers).
 */
public final class Json {

  private Json() {}

  public static String write(Object value) {
    StringWriter out = new StringWriter();
    try (JsonWriter writer =
        jakarta.json.Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true))
            .createWriter(out)) {
      writer.write(toJson(value));
    }
    return out.toString().strip() + "\n";
  }

  private static JsonValue toJson(Object v) {
    if (v == null) {
      return JsonValue.NULL;
    } else if (v instanceof Map<?, ?> map) {
      JsonObjectBuilder o = jakarta.json.Json.createObjectBuilder();
      map.forEach((k, x) -> o.add(String.valueOf(k), toJson(x)));
      return o.build();
    } else if (v instanceof Collection<?> list) {
      JsonArrayBuilder a = jakarta.json.Json.createArrayBuilder();
      list.forEach(x -> a.add(toJson(x)));
      return a.build();
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        return JsonValue.NULL;
      }
      return d == Math.rint(d) && Math.abs(d) < 1e15
          ? jakarta.json.Json.createValue((long) d)
          : jakarta.json.Json.createValue(d);
    } else if (v instanceof Number n) {
      return jakarta.json.Json.createValue(n.longValue());
    } else if (v instanceof Boolean b) {
      return b ? JsonValue.TRUE : JsonValue.FALSE;
    } else {
      return jakarta.json.Json.createValue(v.toString());
    }
  }
}
