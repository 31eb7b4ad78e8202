// S3Kit: the few facts cellar reads from S3's XML answers, pulled out with one SAX pass.
import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// The fields of an S3 XML answer: the text of each element directly under the root, and, for
/// repeated elements such as `Contents` or `Part`, the text of each one's direct children.
struct S3XMLDocument {
  /// A repeated element and the text of its direct children.
  struct Record {
    var name: String
    var fields: [String: String]
  }

  private(set) var fields: [String: String] = [:]
  private(set) var records: [Record] = []

  /// Parses `data`, collecting records for the element names in `recordNames`.
  init(parsing data: [UInt8], recordNames: Set<String> = []) throws {
    let collector = Collector(recordNames: recordNames)
    let parser = XMLParser(data: Data(data))
    parser.delegate = collector
    guard parser.parse() else {
      throw XMLFailure(message: parser.parserError.map { "\($0)" } ?? "malformed XML")
    }
    fields = collector.fields
    records = collector.records
  }

  struct XMLFailure: Error {
    var message: String
  }

  private final class Collector: NSObject, XMLParserDelegate {
    let recordNames: Set<String>
    var fields: [String: String] = [:]
    var records: [Record] = []
    private var path: [String] = []
    private var text = ""
    private var record: Record?

    init(recordNames: Set<String>) { self.recordNames = recordNames }

    func parser(
      _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
      attributes: [String: String] = [:]
    ) {
      path.append(name)
      text = ""
      if path.count == 2, recordNames.contains(name) { record = Record(name: name, fields: [:]) }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
      defer {
        path.removeLast()
        text = ""
      }
      if path.count == 2, let finished = record, finished.name == name {
        records.append(finished)
        record = nil
      } else if path.count == 3, record != nil {
        record?.fields[name] = text
      } else if path.count == 2 {
        fields[name] = text
      }
    }
  }
}
