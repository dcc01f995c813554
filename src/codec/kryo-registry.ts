// Kryptonite 0.7.0's Kryo registration ids (KryoInstance order; wire marker = id + 2) and which serializers accept null.

export const KryoId = {
  INTEGER: 0,
  STRING: 1,
  FLOAT: 2,
  BOOLEAN: 3,
  BYTE: 4,
  CHARACTER: 5,
  SHORT: 6,
  LONG: 7,
  DOUBLE: 8,
  FIELD_META_DATA: 9,
  PAYLOAD_META_DATA: 10,
  ENCRYPTED_FIELD: 11,
  CONNECT_STRUCT: 12,
  CONNECT_SCHEMA: 13,
  CONNECT_SCHEMA_TYPE: 14,
  OBJECT: 15,
  BYTE_ARRAY: 16,
  BIG_DECIMAL: 17,
  LIST: 18,
  ARRAY_LIST: 19,
  LINKED_LIST: 20,
  MAP: 21,
  HASH_MAP: 22,
  LINKED_HASH_MAP: 23,
  SET: 24,
  HASH_SET: 25,
  LINKED_HASH_SET: 26,
  SQL_DATE: 27,
  SQL_TIME: 28,
  SQL_TIMESTAMP: 29,
  ARRAYS_AS_LIST: 30,
  IMMUTABLE_LIST_N: 31,
  IMMUTABLE_LIST_12: 32,
  IMMUTABLE_SET_N: 33,
  IMMUTABLE_MAP_1: 34,
  IMMUTABLE_MAP_N: 35,
  UNMODIFIABLE_FIRST: 36, // Collection, RandomAccessList, List, Set, SortedSet, Map, SortedMap
  UNMODIFIABLE_LAST: 42,
  SYNCHRONIZED_FIRST: 43, // same seven kinds, kryo-serializers' SynchronizedCollectionsSerializer
  SYNCHRONIZED_LAST: 49,
  FLINK_ROW: 50,
  FLINK_ROW_KIND: 51,
  FLINK_ROW_ARRAY: 52,
  OBJECT_ARRAY: 53,
  STRING_ARRAY: 54,
  INTEGER_ARRAY: 55,
  INT_ARRAY: 56,
  LONG_WRAPPER_ARRAY: 57,
  LONG_ARRAY: 58,
  DOUBLE_WRAPPER_ARRAY: 59,
  DOUBLE_ARRAY: 60,
  FLOAT_WRAPPER_ARRAY: 61,
  FLOAT_ARRAY: 62,
  SHORT_WRAPPER_ARRAY: 63,
  SHORT_ARRAY: 64,
  BYTE_WRAPPER_ARRAY: 65,
  BOOLEAN_WRAPPER_ARRAY: 66,
  BOOLEAN_ARRAY: 67,
  CHAR_ARRAY: 68,
  AVRO_RECORD: 69,
  AVRO_ARRAY: 70,
  AVRO_ENUM_SYMBOL: 71,
  AVRO_FIXED: 72,
  AVRO_UTF8: 73,
  HEAP_BYTE_BUFFER: 74,
} as const;

/** Java class names by id, for error messages (what a marker means, never what a value was). */
export const KRYO_CLASS_NAMES: readonly string[] = [
  'Integer', 'String', 'Float', 'Boolean', 'Byte', 'Character', 'Short', 'Long', 'Double',
  'kryptonite FieldMetaData', 'kryptonite PayloadMetaData', 'kryptonite EncryptedField',
  'connect Struct', 'connect Schema', 'connect Schema$Type', 'java.lang.Object', 'byte[]', 'BigDecimal',
  'java.util.List', 'ArrayList', 'LinkedList', 'java.util.Map', 'HashMap', 'LinkedHashMap', 'java.util.Set',
  'HashSet', 'LinkedHashSet', 'java.sql.Date', 'java.sql.Time', 'java.sql.Timestamp', 'Arrays$ArrayList',
  'ImmutableCollections$ListN', 'ImmutableCollections$List12', 'ImmutableCollections$SetN',
  'ImmutableCollections$Map1', 'ImmutableCollections$MapN',
  'Collections$UnmodifiableCollection', 'Collections$UnmodifiableRandomAccessList', 'Collections$UnmodifiableList',
  'Collections$UnmodifiableSet', 'Collections$UnmodifiableSortedSet', 'Collections$UnmodifiableMap',
  'Collections$UnmodifiableSortedMap',
  'Collections$SynchronizedCollection', 'Collections$SynchronizedRandomAccessList', 'Collections$SynchronizedList',
  'Collections$SynchronizedSet', 'Collections$SynchronizedSortedSet', 'Collections$SynchronizedMap',
  'Collections$SynchronizedSortedMap',
  'flink Row', 'flink RowKind', 'flink Row[]',
  'Object[]', 'String[]', 'Integer[]', 'int[]', 'Long[]', 'long[]', 'Double[]', 'double[]', 'Float[]', 'float[]',
  'Short[]', 'short[]', 'Byte[]', 'Boolean[]', 'boolean[]', 'char[]',
  'avro GenericData$Record', 'avro GenericData$Array', 'avro GenericData$EnumSymbol', 'avro GenericData$Fixed',
  'avro Utf8', 'java.nio.HeapByteBuffer',
];

export function kryoClassName(id: number): string {
  return KRYO_CLASS_NAMES[id] ?? `unregistered class id ${id}`;
}

/**
 * Whether the registered serializer handles null itself (Kryo `Serializer.getAcceptsNull`). Where it does,
 * `writeObjectOrNull` writes the serializer's own null form and no `00`/`01` presence byte; elsewhere the byte precedes
 * the value. True for Kryo's String, byte[], BigDecimal, collection, map, enum and array serializers; false for the
 * number/boolean/char serializers, kryo-serializers' wrapper serializers and Kryptonite's custom ones.
 */
export function kryoAcceptsNull(id: number): boolean {
  switch (id) {
    case KryoId.STRING: case KryoId.BYTE_ARRAY: case KryoId.BIG_DECIMAL:
    case KryoId.ARRAY_LIST: case KryoId.LINKED_LIST: case KryoId.HASH_MAP: case KryoId.LINKED_HASH_MAP:
    case KryoId.HASH_SET: case KryoId.LINKED_HASH_SET: case KryoId.ARRAYS_AS_LIST:
    case KryoId.IMMUTABLE_LIST_N: case KryoId.IMMUTABLE_LIST_12: case KryoId.IMMUTABLE_SET_N:
    case KryoId.IMMUTABLE_MAP_1: case KryoId.IMMUTABLE_MAP_N:
    case KryoId.CONNECT_SCHEMA_TYPE: case KryoId.FLINK_ROW_KIND:
      return true;
    default:
      return id >= KryoId.FLINK_ROW_ARRAY && id <= KryoId.CHAR_ARRAY;
  }
}
