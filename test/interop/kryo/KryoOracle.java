// Kryo 5.6.2 oracle for the TypeScript KRYO serde: registers classes exactly in Kryptonite 0.7.0's KryoInstance order
// (stand-ins for Kryptonite/Connect/Flink/Avro classes) and answers JSON-lines requests on stdin/stdout.
//
// Typed values ("TV") are JSON null or {"t": <type>, "v": <value>}:
//   Integer/Short/Byte: number; Long: decimal string; Double/Float: Java Double.toString of the (widened) value;
//   Character: 1-char string; Boolean; String; byte[]/HeapByteBuffer: base64; BigDecimal: toString(); Utf8: string;
//   collections and arrays: [TV...]; maps: [[TVkey, TVvalue]...]; Collections$Unmodifiable... and Synchronized... wrappers: the wrapped TV.
// Requests: {"op":"write","value":TV} -> {"ok":true,"bytes":b64,"class":t,"value":TV as iterated}
//           {"op":"read","bytes":b64}  -> {"ok":true,"value":TV,"consumed":n}
//           {"op":"kryptoniteBytes","value":TV} -> bytes exactly as Kryptonite's objectToBytes returns them
//           {"op":"k1encode", ciphertext(b64), algorithmId, keyId, version} / {"op":"k1decode","bytes":b64}
//           {"op":"registrations"} -> [{id, class}]
// Any failure -> {"ok":false,"error":"<exception class>: <message>"}.

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.google.gson.*;
import de.javakaffee.kryoserializers.SynchronizedCollectionsSerializer;
import de.javakaffee.kryoserializers.UnmodifiableCollectionsSerializer;
import org.objenesis.strategy.StdInstantiatorStrategy;

import java.io.*;
import java.lang.reflect.Field;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.*;

public class KryoOracle {

  // ---- stand-ins: only their registration position (and, for the k1 classes, their field layout) matters ----
  public static class FieldMetaData { String algorithm, dataType, keyId, fpeTweak, fpeAlphabet, encoding; }
  public static class PayloadMetaData { String version; String algorithmId; String keyId; }
  public static class EncryptedField { PayloadMetaData metaData; byte[] ciphertext; }
  public static class Struct {}
  public static class Schema {}
  public enum SchemaType { INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING, BYTES, ARRAY, MAP, STRUCT }
  public static class Row {}
  public enum RowKind { INSERT, UPDATE_BEFORE, UPDATE_AFTER, DELETE }
  public static class GenericRecord {}
  public static class GenericArray {}
  public static class GenericEnumSymbol {}
  public static class GenericFixed {}
  public static final class Utf8 { final String s; Utf8(String s) { this.s = s; } }

  static final class Unsupported<T> extends Serializer<T> {
    public void write(Kryo k, Output o, T v) { throw new UnsupportedOperationException("stand-in class"); }
    public T read(Kryo k, Input i, Class<? extends T> t) { throw new UnsupportedOperationException("stand-in class"); }
  }

  /** Same wire form as Kryptonite's Utf8Serializer: a Kryo string. */
  static final class Utf8Serializer extends Serializer<Utf8> {
    public void write(Kryo k, Output o, Utf8 v) { o.writeString(v.s); }
    public Utf8 read(Kryo k, Input i, Class<? extends Utf8> t) { return new Utf8(i.readString()); }
  }

  /** Same wire form as Kryptonite's ByteBufferSerializer: fixed 4-byte length (Kryo writeInt), then the bytes. */
  static final class ByteBufferSerializer extends Serializer<ByteBuffer> {
    public void write(Kryo k, Output o, ByteBuffer buf) {
      ByteBuffer dup = buf.duplicate();
      byte[] bytes = new byte[dup.remaining()];
      dup.get(bytes);
      o.writeInt(bytes.length);
      o.writeBytes(bytes);
    }
    public ByteBuffer read(Kryo k, Input i, Class<? extends ByteBuffer> t) { return ByteBuffer.wrap(i.readBytes(i.readInt())); }
  }

  static Kryo newKryo() throws ClassNotFoundException {
    Kryo kryo = new Kryo();
    kryo.setRegistrationRequired(true);
    kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    kryo.register(FieldMetaData.class);
    kryo.register(PayloadMetaData.class);
    kryo.register(EncryptedField.class);
    kryo.register(Struct.class).setSerializer(new Unsupported<Struct>());
    kryo.register(Schema.class).setSerializer(new Unsupported<Schema>());
    kryo.register(SchemaType.class);
    kryo.register(Object.class);
    kryo.register(byte[].class);
    kryo.register(BigDecimal.class);
    kryo.register(List.class);
    kryo.register(ArrayList.class);
    kryo.register(LinkedList.class);
    kryo.register(Map.class);
    kryo.register(HashMap.class);
    kryo.register(LinkedHashMap.class);
    kryo.register(Set.class);
    kryo.register(HashSet.class);
    kryo.register(LinkedHashSet.class);
    kryo.register(java.sql.Date.class);
    kryo.register(java.sql.Time.class);
    kryo.register(java.sql.Timestamp.class);
    kryo.register(Class.forName("java.util.Arrays$ArrayList"));
    kryo.register(Class.forName("java.util.ImmutableCollections$ListN"));
    kryo.register(Class.forName("java.util.ImmutableCollections$List12"));
    kryo.register(Class.forName("java.util.ImmutableCollections$SetN"));
    kryo.register(Class.forName("java.util.ImmutableCollections$Map1"));
    kryo.register(Class.forName("java.util.ImmutableCollections$MapN"));
    UnmodifiableCollectionsSerializer.registerSerializers(kryo);
    SynchronizedCollectionsSerializer.registerSerializers(kryo);
    kryo.register(Row.class);
    kryo.register(RowKind.class);
    kryo.register(Row[].class);
    kryo.register(Object[].class);
    kryo.register(String[].class);
    kryo.register(Integer[].class);
    kryo.register(int[].class);
    kryo.register(Long[].class);
    kryo.register(long[].class);
    kryo.register(Double[].class);
    kryo.register(double[].class);
    kryo.register(Float[].class);
    kryo.register(float[].class);
    kryo.register(Short[].class);
    kryo.register(short[].class);
    kryo.register(Byte[].class);
    kryo.register(Boolean[].class);
    kryo.register(boolean[].class);
    kryo.register(Character.class);
    kryo.register(char[].class);
    kryo.register(GenericRecord.class).setSerializer(new Unsupported<GenericRecord>());
    kryo.register(GenericArray.class).setSerializer(new Unsupported<GenericArray>());
    kryo.register(GenericEnumSymbol.class).setSerializer(new Unsupported<GenericEnumSymbol>());
    kryo.register(GenericFixed.class).setSerializer(new Unsupported<GenericFixed>());
    kryo.register(Utf8.class).setSerializer(new Utf8Serializer());
    kryo.register(Class.forName("java.nio.HeapByteBuffer")).setSerializer(new ByteBufferSerializer());
    return kryo;
  }

  // ---- type names ----
  static String typeName(Class<?> c) {
    if (c.isArray()) return typeName(c.getComponentType()) + "[]";
    if (c.getEnclosingClass() == KryoOracle.class) return c.getSimpleName();
    String n = c.getName();
    return n.substring(n.lastIndexOf('.') + 1);
  }

  // ---- TV -> Java ----
  static Object build(JsonElement e) throws Exception {
    if (e == null || e.isJsonNull()) return null;
    JsonObject o = e.getAsJsonObject();
    String t = o.get("t").getAsString();
    JsonElement v = o.get("v");
    Object built = buildTyped(t, v);
    if (built != null && !typeName(built.getClass()).equals(t)) {
      throw new IllegalArgumentException("built " + typeName(built.getClass()) + " for requested " + t);
    }
    return built;
  }

  static List<Object> buildList(JsonElement v) throws Exception {
    List<Object> out = new ArrayList<>();
    for (JsonElement x : v.getAsJsonArray()) out.add(build(x));
    return out;
  }

  static <M extends Map<Object, Object>> M buildMap(JsonElement v, M m) throws Exception {
    for (JsonElement pair : v.getAsJsonArray()) {
      JsonArray kv = pair.getAsJsonArray();
      m.put(build(kv.get(0)), build(kv.get(1)));
    }
    return m;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static Object buildTyped(String t, JsonElement v) throws Exception {
    switch (t) {
      case "Integer": return v.getAsInt();
      case "Long": return Long.parseLong(v.getAsString());
      case "Double": return Double.parseDouble(v.getAsString());
      case "Float": return Float.parseFloat(v.getAsString());
      case "Short": return v.getAsShort();
      case "Byte": return v.getAsByte();
      case "Character": {
        String s = v.getAsString();
        if (s.length() != 1) throw new IllegalArgumentException("Character needs exactly one UTF-16 unit");
        return s.charAt(0);
      }
      case "Boolean": return v.getAsBoolean();
      case "String": return v.getAsString();
      case "byte[]": return Base64.getDecoder().decode(v.getAsString());
      case "HeapByteBuffer": return ByteBuffer.wrap(Base64.getDecoder().decode(v.getAsString()));
      case "BigDecimal": return new BigDecimal(v.getAsString());
      case "Utf8": return new Utf8(v.getAsString());
      case "ArrayList": return new ArrayList<>(buildList(v));
      case "LinkedList": return new LinkedList<>(buildList(v));
      case "HashSet": return new HashSet<>(buildList(v));
      case "LinkedHashSet": return new LinkedHashSet<>(buildList(v));
      case "Arrays$ArrayList": return Arrays.asList(buildList(v).toArray());
      case "ImmutableCollections$ListN":
      case "ImmutableCollections$List12": return List.of(buildList(v).toArray());
      case "ImmutableCollections$SetN": return Set.of(buildList(v).toArray());
      case "HashMap": return buildMap(v, new HashMap<>());
      case "LinkedHashMap": return buildMap(v, new LinkedHashMap<>());
      case "ImmutableCollections$Map1":
      case "ImmutableCollections$MapN": return Map.copyOf(buildMap(v, new LinkedHashMap<>()));
      case "Object[]": return buildList(v).toArray(new Object[0]);
      case "String[]": return buildList(v).toArray(new String[0]);
      case "Integer[]": return buildList(v).toArray(new Integer[0]);
      case "Long[]": return buildList(v).toArray(new Long[0]);
      case "Double[]": return buildList(v).toArray(new Double[0]);
      case "Float[]": return buildList(v).toArray(new Float[0]);
      case "Short[]": return buildList(v).toArray(new Short[0]);
      case "Byte[]": return buildList(v).toArray(new Byte[0]);
      case "Boolean[]": return buildList(v).toArray(new Boolean[0]);
      case "int[]": return buildList(v).stream().mapToInt(x -> (Integer) x).toArray();
      case "long[]": return buildList(v).stream().mapToLong(x -> (Long) x).toArray();
      case "double[]": return buildList(v).stream().mapToDouble(x -> (Double) x).toArray();
      case "float[]": { List<Object> l = buildList(v); float[] a = new float[l.size()]; for (int i = 0; i < a.length; i++) a[i] = (Float) l.get(i); return a; }
      case "short[]": { List<Object> l = buildList(v); short[] a = new short[l.size()]; for (int i = 0; i < a.length; i++) a[i] = (Short) l.get(i); return a; }
      case "boolean[]": { List<Object> l = buildList(v); boolean[] a = new boolean[l.size()]; for (int i = 0; i < a.length; i++) a[i] = (Boolean) l.get(i); return a; }
      case "char[]": { List<Object> l = buildList(v); char[] a = new char[l.size()]; for (int i = 0; i < a.length; i++) a[i] = (Character) l.get(i); return a; }
      case "Collections$UnmodifiableCollection": return Collections.unmodifiableCollection((Collection) build(v));
      case "Collections$UnmodifiableRandomAccessList":
      case "Collections$UnmodifiableList": return Collections.unmodifiableList((List) build(v));
      case "Collections$UnmodifiableSet": return Collections.unmodifiableSet((Set) build(v));
      case "Collections$UnmodifiableMap": return Collections.unmodifiableMap((Map) build(v));
      case "Collections$SynchronizedCollection": return Collections.synchronizedCollection((Collection) build(v));
      case "Collections$SynchronizedRandomAccessList":
      case "Collections$SynchronizedList": return Collections.synchronizedList((List) build(v));
      case "Collections$SynchronizedSet": return Collections.synchronizedSet((Set) build(v));
      case "Collections$SynchronizedMap": return Collections.synchronizedMap((Map) build(v));
      default: throw new IllegalArgumentException("unknown type " + t);
    }
  }

  // ---- Java -> TV ----
  static JsonElement describe(Object x) throws Exception {
    if (x == null) return JsonNull.INSTANCE;
    JsonObject o = new JsonObject();
    String t = typeName(x.getClass());
    o.addProperty("t", t);
    if (x instanceof Integer || x instanceof Short || x instanceof Byte) o.addProperty("v", (Number) x);
    else if (x instanceof Long) o.addProperty("v", x.toString());
    else if (x instanceof Double || x instanceof Float) o.addProperty("v", Double.toString(((Number) x).doubleValue()));
    else if (x instanceof Character || x instanceof String || x instanceof BigDecimal) o.addProperty("v", x.toString());
    else if (x instanceof Boolean) o.addProperty("v", (Boolean) x);
    else if (x instanceof byte[]) o.addProperty("v", Base64.getEncoder().encodeToString((byte[]) x));
    else if (x instanceof ByteBuffer) {
      ByteBuffer d = ((ByteBuffer) x).duplicate();
      byte[] b = new byte[d.remaining()];
      d.get(b);
      o.addProperty("v", Base64.getEncoder().encodeToString(b));
    } else if (x instanceof Utf8) o.addProperty("v", ((Utf8) x).s);
    else if (t.startsWith("Collections$")) o.add("v", describe(wrapped(x)));
    else if (x instanceof Collection) {
      JsonArray a = new JsonArray();
      for (Object e : (Collection<?>) x) a.add(describe(e));
      o.add("v", a);
    } else if (x instanceof Map) {
      JsonArray a = new JsonArray();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) x).entrySet()) {
        JsonArray kv = new JsonArray();
        kv.add(describe(e.getKey()));
        kv.add(describe(e.getValue()));
        a.add(kv);
      }
      o.add("v", a);
    } else if (x.getClass().isArray()) {
      JsonArray a = new JsonArray();
      for (int i = 0, n = java.lang.reflect.Array.getLength(x); i < n; i++) a.add(describe(java.lang.reflect.Array.get(x, i)));
      o.add("v", a);
    } else throw new IllegalArgumentException("cannot describe " + t);
    return o;
  }

  /** The collection or map inside a Collections$Unmodifiable... or Synchronized... wrapper (field "c" or "m"). */
  static Object wrapped(Object w) throws Exception {
    for (Class<?> c = w.getClass(); c != null; c = c.getSuperclass()) {
      for (String name : new String[] {"m", "c"}) {
        try {
          Field f = c.getDeclaredField(name);
          f.setAccessible(true);
          return f.get(w);
        } catch (NoSuchFieldException ignored) {
          // try the next name / superclass
        }
      }
    }
    throw new IllegalArgumentException("no wrapped collection in " + w.getClass().getName());
  }

  // ---- requests ----
  static JsonObject handle(Kryo kryo, JsonObject req) throws Exception {
    JsonObject res = new JsonObject();
    String op = req.get("op").getAsString();
    switch (op) {
      case "write": {
        Object value = build(req.get("value"));
        Output out = new Output(64, -1);
        kryo.writeClassAndObject(out, value);
        res.addProperty("bytes", Base64.getEncoder().encodeToString(out.toBytes()));
        res.addProperty("class", value == null ? "null" : typeName(value.getClass()));
        res.add("value", describe(value)); // in the built object's iteration order (Set.of/Map.of order varies per JVM)
        break;
      }
      case "kryptoniteBytes": {
        // Exactly KryoSerdeProcessor.objectToBytes(Object): an Output over a ByteArrayOutputStream, then toBytes().
        Object value = build(req.get("value"));
        Output out = new Output(new ByteArrayOutputStream());
        kryo.writeClassAndObject(out, value);
        res.addProperty("bytes", Base64.getEncoder().encodeToString(out.toBytes()));
        break;
      }
      case "read": {
        byte[] bytes = Base64.getDecoder().decode(req.get("bytes").getAsString());
        Input in = new Input(bytes);
        Object value = kryo.readClassAndObject(in);
        res.add("value", describe(value));
        res.addProperty("consumed", in.position());
        break;
      }
      case "k1encode": {
        PayloadMetaData md = new PayloadMetaData();
        md.version = req.get("version").getAsString();
        md.algorithmId = req.get("algorithmId").getAsString();
        md.keyId = req.get("keyId").getAsString();
        EncryptedField ef = new EncryptedField();
        ef.metaData = md;
        ef.ciphertext = Base64.getDecoder().decode(req.get("ciphertext").getAsString());
        Output out = new Output(64, -1);
        kryo.writeObject(out, ef);
        res.addProperty("bytes", Base64.getEncoder().encodeToString(out.toBytes()));
        break;
      }
      case "k1decode": {
        byte[] bytes = Base64.getDecoder().decode(req.get("bytes").getAsString());
        Input in = new Input(bytes);
        EncryptedField ef = kryo.readObject(in, EncryptedField.class);
        res.addProperty("ciphertext", Base64.getEncoder().encodeToString(ef.ciphertext));
        res.addProperty("algorithmId", ef.metaData.algorithmId);
        res.addProperty("keyId", ef.metaData.keyId);
        res.addProperty("version", ef.metaData.version);
        res.addProperty("consumed", in.position());
        break;
      }
      case "registrations": {
        JsonArray a = new JsonArray();
        for (int id = 0; ; id++) {
          Registration r = kryo.getRegistration(id);
          if (r == null) break;
          JsonObject e = new JsonObject();
          e.addProperty("id", id);
          e.addProperty("class", r.getType().getName());
          a.add(e);
        }
        res.add("registrations", a);
        break;
      }
      default:
        throw new IllegalArgumentException("unknown op " + op);
    }
    res.addProperty("ok", true);
    return res;
  }

  /** Gson leaves non-ASCII as is; escaping it keeps lone surrogates intact across the UTF-8 pipe. */
  static String asciiJson(JsonElement e) {
    String s = e.toString();
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) b.append(c);
      else b.append(String.format("\\u%04x", (int) c));
    }
    return b.toString();
  }

  public static void main(String[] args) throws Exception {
    Kryo kryo = newKryo();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    out.println("{\"ready\":true}");
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) continue;
      JsonObject res;
      try {
        res = handle(kryo, JsonParser.parseString(line).getAsJsonObject());
      } catch (Throwable t) {
        res = new JsonObject();
        res.addProperty("ok", false);
        res.addProperty("error", t.getClass().getSimpleName() + ": " + t.getMessage());
        kryo = newKryo(); // a failed read/write can leave Kryo mid-graph; start clean
      }
      out.println(asciiJson(res));
    }
  }
}
