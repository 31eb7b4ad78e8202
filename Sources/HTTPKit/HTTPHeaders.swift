// Ordered HTTP header fields with case-insensitive lookup.

/// An ordered list of HTTP header fields; names compare case-insensitively, order and
/// repeated names are kept as sent or received.
public struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
  /// One header field.
  public struct Field: Sendable, Equatable {
    /// The field name as written (case kept).
    public var name: String
    /// The field value, without surrounding white space.
    public var value: String
  }

  private var fields: [Field] = []

  /// An empty header list.
  public init() {}

  /// Headers from name/value pairs, in order.
  public init(dictionaryLiteral elements: (String, String)...) {
    fields = elements.map { Field(name: $0.0, value: $0.1) }
  }

  /// The value of the first field named `name`, or nil.
  public subscript(name: String) -> String? {
    fields.first { $0.name.lowercased() == name.lowercased() }?.value
  }

  /// Every value of the fields named `name`, in order.
  public func values(for name: String) -> [String] {
    let key = name.lowercased()
    return fields.filter { $0.name.lowercased() == key }.map(\.value)
  }

  /// Appends a field, keeping any earlier field of the same name.
  public mutating func add(_ name: String, _ value: String) {
    fields.append(Field(name: name, value: value))
  }

  /// Replaces every field named `name` by one field with `value`.
  public mutating func set(_ name: String, _ value: String) {
    remove(name)
    add(name, value)
  }

  /// Removes every field named `name`.
  public mutating func remove(_ name: String) {
    let key = name.lowercased()
    fields.removeAll { $0.name.lowercased() == key }
  }

  /// The number of fields.
  public var count: Int { fields.count }

  /// Iterates the fields in order.
  public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }
}
