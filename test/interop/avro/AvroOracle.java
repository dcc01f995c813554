// Avro 1.11.4 oracle for the AVRO plaintext serde: JSON lines in, JSON lines out (one answer per request line).
//
//   {"op":"encode","path":P,"json":T}      derive the schema of JSON text T at field path P the way Kryptonite 0.7.0's
//                                          JsonSchemaDeriver/JsonAvroConverter do (rules re-implemented here from reading
//                                          that source), write with GenericDatumWriter  -> {"ok":true,"b64":...}
//   {"op":"decode","b64":B}                parse the embedded schema with Schema.Parser, compare Schema.toString() with the
//                                          embedded text, read with GenericDatumReader, map to JSON as Kryptonite's
//                                          schemaless decode does                      -> {"ok":true,"toStringSame":..,"value":V}
//   {"op":"write","schema":S,"datum":D}    read D (Avro's JSON encoding) for schema S and frame it like Kryptonite
//                                                                                       -> {"ok":true,"b64":...}
// Failures answer {"ok":false,"error":"<exception class>: <message>"}.
// V is typed so that nothing is lost in transit: integral numbers {"$int":"..."} / {"$long":"..."}, doubles
// {"$double":"<raw IEEE bits, hex>"}, floats {"$float":"<bits hex>"}, objects {"$obj":[[key, V], ...]} (ordered).
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.Utf8;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

public final class AvroOracle {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    // Values given to encode may carry NaN/Infinity, as a Java Double in a Connect map would.
    private static final ObjectMapper VALUES = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    public static void main(String[] args) throws Exception {
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        var out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) continue;
            ObjectNode answer;
            try {
                var req = MAPPER.readTree(line);
                answer = switch (req.get("op").asText()) {
                    case "encode" -> encode(req.get("path").asText(), VALUES.readTree(req.get("json").asText()));
                    case "decode" -> decode(Base64.getDecoder().decode(req.get("b64").asText()));
                    case "write" -> write(new Schema.Parser().parse(req.get("schema").asText()), req.get("datum").asText());
                    default -> throw new IllegalArgumentException("unknown op");
                };
            } catch (Throwable t) {
                answer = F.objectNode().put("ok", false).put("error", t.getClass().getName() + ": " + t.getMessage());
            }
            out.println(MAPPER.writeValueAsString(answer));
            out.flush();
        }
    }

    // ---- encode: schema derivation and value conversion, Kryptonite 0.7.0 rules ----

    private static ObjectNode encode(String path, JsonNode node) throws Exception {
        var schema = derive(node, sanitize(path));
        return F.objectNode().put("ok", true).put("b64", Base64.getEncoder().encodeToString(frame(schema, toAvro(node, schema))));
    }

    private static String sanitize(String s) {
        var r = s.replaceAll("[^A-Za-z0-9_]", "_");
        return Character.isDigit(r.charAt(0)) ? "f_" + r : r;
    }

    private static Schema derive(JsonNode n, String name) {
        if (n == null || n.isNull()) return Schema.create(Schema.Type.NULL);
        if (n.isBoolean()) return Schema.create(Schema.Type.BOOLEAN);
        if (n.isIntegralNumber()) return Schema.create(Schema.Type.LONG);
        if (n.isNumber()) return Schema.create(Schema.Type.DOUBLE);
        if (n.isTextual()) return Schema.create(Schema.Type.STRING);
        if (n.isArray()) {
            if (n.isEmpty()) return Schema.createArray(Schema.create(Schema.Type.NULL));
            boolean sawNull = false;
            Set<Schema> seen = new LinkedHashSet<>();
            for (var e : n) {
                var s = derive(e, name + "_i");
                if (s.getType() == Schema.Type.NULL) sawNull = true; else seen.add(s);
            }
            if (seen.isEmpty()) return Schema.createArray(Schema.create(Schema.Type.NULL));
            if (!sawNull && seen.size() == 1) return Schema.createArray(seen.iterator().next());
            if (seen.stream().filter(s -> s.getType() == Schema.Type.ARRAY).count() > 1) {
                throw new IllegalArgumentException("more than one array type in an array union");
            }
            List<Schema> branches = new ArrayList<>();
            if (sawNull) branches.add(Schema.create(Schema.Type.NULL));
            branches.addAll(seen);
            return Schema.createArray(Schema.createUnion(branches));
        }
        if (n.isObject()) {
            List<Schema.Field> fields = new ArrayList<>();
            for (var it = n.fields(); it.hasNext(); ) {
                var e = it.next();
                var child = derive(e.getValue(), name + "_" + sanitize(e.getKey()));
                fields.add(new Schema.Field(e.getKey(), child));
            }
            return Schema.createRecord(name, null, null, false, fields);
        }
        throw new IllegalArgumentException("unsupported JSON node " + n.getNodeType());
    }

    private static Object toAvro(JsonNode n, Schema s) {
        switch (s.getType()) {
            case UNION: {
                if (n.isNull()) return null;
                for (var b : s.getTypes()) {
                    boolean match = switch (b.getType()) {
                        case BOOLEAN -> n.isBoolean();
                        case LONG, INT -> n.isIntegralNumber();
                        case DOUBLE, FLOAT -> n.isFloatingPointNumber();
                        case STRING -> n.isTextual();
                        case ARRAY -> n.isArray();
                        case RECORD -> n.isObject();
                        default -> false;
                    };
                    if (match) return toAvro(n, b);
                }
                throw new IllegalArgumentException("no union branch");
            }
            case NULL: return null;
            case BOOLEAN: return n.booleanValue();
            case LONG: return n.longValue();
            case DOUBLE: return n.doubleValue();
            case STRING: return new Utf8(n.textValue());
            case ARRAY: {
                var a = new GenericData.Array<Object>(n.size(), s);
                for (var e : n) a.add(toAvro(e, s.getElementType()));
                return a;
            }
            case RECORD: {
                var r = new GenericData.Record(s);
                for (var f : s.getFields()) {
                    var c = n.get(f.name());
                    r.put(f.name(), toAvro(c != null ? c : NullNode.getInstance(), f.schema()));
                }
                return r;
            }
            default: throw new IllegalArgumentException("unsupported schema " + s.getType());
        }
    }

    private static byte[] frame(Schema schema, Object value) throws Exception {
        var schemaBytes = schema.toString().getBytes(StandardCharsets.UTF_8);
        var body = new ByteArrayOutputStream();
        var enc = EncoderFactory.get().binaryEncoder(body, null);
        new GenericDatumWriter<Object>(schema).write(value, enc);
        enc.flush();
        var out = ByteBuffer.allocate(4 + schemaBytes.length + body.size());
        out.putInt(schemaBytes.length).put(schemaBytes).put(body.toByteArray());
        return out.array();
    }

    // ---- write: any schema, datum in Avro's JSON encoding ----

    private static ObjectNode write(Schema schema, String datum) throws Exception {
        var value = new GenericDatumReader<Object>(schema).read(null, DecoderFactory.get().jsonDecoder(schema, datum));
        return F.objectNode().put("ok", true).put("b64", Base64.getEncoder().encodeToString(frame(schema, value)));
    }

    // ---- decode: framing, Avro read, Kryptonite's Avro -> JSON mapping ----

    private static ObjectNode decode(byte[] bytes) throws Exception {
        var buf = ByteBuffer.wrap(bytes);
        var text = new byte[buf.getInt()];
        buf.get(text);
        var json = new String(text, StandardCharsets.UTF_8);
        var schema = new Schema.Parser().parse(json);
        var rest = new byte[buf.remaining()];
        buf.get(rest);
        var value = new GenericDatumReader<Object>(schema).read(null, DecoderFactory.get().binaryDecoder(rest, null));
        var answer = F.objectNode().put("ok", true).put("toStringSame", schema.toString().equals(json));
        answer.set("value", typed(toJson(value, schema)));
        return answer;
    }

    @SuppressWarnings("unchecked")
    private static JsonNode toJson(Object v, Schema s) {
        switch (s.getType()) {
            case UNION: {
                if (v == null) return NullNode.getInstance();
                return toJson(v, branchFor(v, s));
            }
            case NULL: return NullNode.getInstance();
            case BOOLEAN: return F.booleanNode((Boolean) v);
            case INT: return F.numberNode((Integer) v);
            case LONG: return F.numberNode((Long) v);
            case FLOAT: return F.numberNode((Float) v);
            case DOUBLE: return F.numberNode((Double) v);
            case STRING: case ENUM: return F.textNode(v.toString());
            case BYTES: {
                byte[] b = v instanceof ByteBuffer bb ? bb.array() : (byte[]) v;
                return F.textNode(Base64.getEncoder().encodeToString(b));
            }
            case FIXED: return F.textNode(Base64.getEncoder().encodeToString(((GenericData.Fixed) v).bytes()));
            case ARRAY: {
                ArrayNode a = F.arrayNode();
                for (var e : (Iterable<?>) v) a.add(toJson(e, s.getElementType()));
                return a;
            }
            case RECORD: {
                ObjectNode o = F.objectNode();
                var r = (GenericRecord) v;
                for (var f : s.getFields()) o.set(f.name(), toJson(r.get(f.name()), f.schema()));
                return o;
            }
            case MAP: {
                ObjectNode o = F.objectNode();
                for (var e : ((Map<Object, Object>) v).entrySet()) o.set(e.getKey().toString(), toJson(e.getValue(), s.getValueType()));
                return o;
            }
            default: throw new IllegalArgumentException("unsupported schema " + s.getType());
        }
    }

    /** Kryptonite resolves a union branch from the Java class of the value: the first branch of that type wins. */
    private static Schema branchFor(Object v, Schema union) {
        for (var b : union.getTypes()) {
            var t = b.getType();
            if (t == Schema.Type.NULL) continue;
            if ((v instanceof Boolean && t == Schema.Type.BOOLEAN) || (v instanceof Long && t == Schema.Type.LONG)
                || (v instanceof Integer && t == Schema.Type.INT) || (v instanceof Double && t == Schema.Type.DOUBLE)
                || (v instanceof Float && t == Schema.Type.FLOAT)
                || ((v instanceof Utf8 || v instanceof String) && t == Schema.Type.STRING)
                || (v instanceof GenericRecord && t == Schema.Type.RECORD)
                || (v instanceof GenericData.Array && t == Schema.Type.ARRAY) || (v instanceof Map && t == Schema.Type.MAP)
                || (v instanceof ByteBuffer && t == Schema.Type.BYTES) || (v instanceof GenericData.Fixed && t == Schema.Type.FIXED)
                || (v instanceof GenericData.EnumSymbol && t == Schema.Type.ENUM)) return b;
        }
        throw new IllegalArgumentException("no union branch for " + v.getClass().getName());
    }

    private static JsonNode typed(JsonNode n) {
        if (n.isNull() || n.isBoolean() || n.isTextual()) return n;
        if (n.isInt()) return F.objectNode().put("$int", n.asText());
        if (n.isIntegralNumber()) return F.objectNode().put("$long", n.bigIntegerValue().toString());
        if (n.isFloat()) return F.objectNode().put("$float", String.format("%08x", Float.floatToRawIntBits(n.floatValue())));
        if (n.isDouble()) return F.objectNode().put("$double", String.format("%016x", Double.doubleToRawLongBits(n.doubleValue())));
        if (n.isArray()) {
            ArrayNode a = F.arrayNode();
            for (var e : n) a.add(typed(e));
            return a;
        }
        if (n.isObject()) {
            ArrayNode entries = F.arrayNode();
            for (var it = n.fields(); it.hasNext(); ) {
                var e = it.next();
                entries.add(F.arrayNode().add(e.getKey()).add(typed(e.getValue())));
            }
            return F.objectNode().set("$obj", entries);
        }
        throw new IllegalArgumentException("unexpected node " + n.getNodeType());
    }
}
