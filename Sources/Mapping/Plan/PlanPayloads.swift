import SynapseContract

/// The plan's `payloads/*.json` files: for each kind, the requests that create the desired objects.
///
/// Each entry is `{key, method, path, body, links, source}`. `body` is the contract's create request; values that
/// come from the environment (and every secret) are `"os.environ/NAME"` strings, never values. `links` names the
/// objects whose gateway ids fill fields such as `integrationId` at apply time (`"integration:openai-1a2b3c4d"`).
public enum PlanPayloads {
    /// The environment variable a literal secret must be exported as: it is never written into any file.
    public static func literalSecretVariable(for object: ObjectRef, field: String) -> String {
        let name = (object.key + "_" + field).uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
        return "LITELLM_SYNAPSE_SECRET_" + String(name)
    }

    /// The create request body of `object` as it appears in the plan: secrets as references, links absent.
    public static func body(of object: DesiredObject) -> JSONObject {
        var body = object.fields
        for (field, source) in object.secrets {
            switch source {
            case .environment(let name): body[field] = .string(EnvironmentReference.reference(to: name))
            case .literal: body[field] = .string(EnvironmentReference.reference(to: literalSecretVariable(for: object.ref, field: field)))
            case .none: body[field] = .string("")
            }
        }
        return body
    }

    /// Appends one payload entry (`body`, `key`, `links`, `method`, `path`, `source`) pretty-printed one level deep,
    /// without building the entry object: its keys are fixed, and written here in the sorted order `JSONValue`
    /// writes them.
    static func writeEntry(of object: DesiredObject, to buffer: inout TextBuffer, files: inout FileNameStrings) {
        let kind = object.kind
        buffer.append("{\n    \"body\": ")
        JSONValue.object(body(of: object)).writePretty(to: &buffer, level: 2)
        buffer.append(",\n    \"key\": ")
        JSONValue.string(object.key).writePretty(to: &buffer, level: 2)
        buffer.append(",\n    \"links\": ")
        var links: JSONObject = [:]
        for (field, ref) in object.links { links[field] = .string("\(ref.kind.rawValue):\(ref.key)") }
        JSONValue.object(links).writePretty(to: &buffer, level: 2)
        buffer.append(kind.createsWithPost ? ",\n    \"method\": \"POST\"" : ",\n    \"method\": \"PUT\"")
        buffer.append(",\n    \"path\": ")
        JSONValue.string(kind.createsWithPost ? kind.collectionPath : kind.itemPath(id: object.key)).writePretty(to: &buffer, level: 2)
        // As `JSONValue.array(sources.map { .string($0.description) })` would write it, without making those strings:
        // a provider used by 10,000 deployments lists 10,000 places.
        buffer.append(",\n    \"source\": ")
        if object.sources.isEmpty {
            buffer.append("[]")
        } else {
            buffer.append(byte: UInt8(ascii: "["))
            for (n, source) in object.sources.enumerated() {
                buffer.append(n == 0 ? "\n      " : ",\n      ")
                source.appendJSONString(openFileString: files.openString(source), to: &buffer)
            }
            buffer.append("\n    ]")
        }
        buffer.append("\n  }")
    }

    /// The file name of the last location written, as a JSON string without its closing quote.
    struct FileNameStrings {
        private var id: UInt32?
        private var openString: [UInt8] = []

        mutating func openString(_ location: SourceLocation) -> [UInt8] {
            if location.fileID != id {
                id = location.fileID
                var quoted = TextBuffer()
                JSONValue.string(location.file).writePretty(to: &quoted)
                openString = quoted.bytes.dropLast()
            }
            return openString
        }
    }

    /// `payloads/<file>.json` → contents, for every kind (an empty list where the config asks for none).
    public static func files(for desired: DesiredState) -> [(name: String, contents: String)] {
        ResourceKind.applyOrder.map { kind in
            var buffer = TextBuffer()
            write(kind, of: desired, to: &buffer)
            return (fileName(of: kind), buffer.string)
        }
    }

    /// `payloads/<file>.json` of `kind`, relative to the plan folder.
    public static func fileName(of kind: ResourceKind) -> String { "payloads/" + kind.payloadFileName }

    /// Appends the payload file of `kind`: the pretty-printed array of entries, written one entry at a time so the
    /// whole array never exists as one value.
    public static func write(_ kind: ResourceKind, of desired: DesiredState, to buffer: inout TextBuffer) {
        let range = desired.range(of: kind)
        if range.isEmpty {
            buffer.append("[]\n")
            return
        }
        // By position in the state's own array: copying the kind's objects into an array of their own would retain
        // (and later release) every field of each.
        var files = FileNameStrings()
        desired.objects.withUnsafeBufferPointer { objects in
            buffer.append(byte: UInt8(ascii: "["))
            for (n, position) in linkOrder(objects, range).enumerated() {
                buffer.append(n == 0 ? "\n  " : ",\n  ")
                writeEntry(of: objects[position], to: &buffer, files: &files)
            }
        }
        buffer.append("\n]\n")
    }

    /// The positions of one kind's objects (`range`, in natural-key order), except that an object another one links
    /// to (a parent team) comes first: apply.sh creates them in file order and fills a link only with an id it has
    /// already received.
    static func linkOrder(_ objects: UnsafeBufferPointer<DesiredObject>, _ range: Range<Int>) -> [Int] {
        // Only a link to an object of the same kind can change the order (most kinds have none).
        guard let kind = range.first.map({ objects[$0].kind }),
            range.contains(where: { objects[$0].links.values.contains { $0.kind == kind } })
        else { return Array(range) }
        let refs = Set(range.map { objects[$0].ref })
        var placed = Set<ObjectRef>()
        var remaining = Array(range)
        var ordered: [Int] = []
        while !remaining.isEmpty {
            let ready = remaining.filter { position in
                objects[position].links.values.allSatisfy { !refs.contains($0) || placed.contains($0) || $0 == objects[position].ref }
            }
            let next = ready.isEmpty ? remaining : ready  // a cycle (refused when mapping): keep key order
            ordered += next
            let done = Set(next.map { objects[$0].ref })
            placed.formUnion(done)
            remaining.removeAll { done.contains(objects[$0].ref) }
        }
        return ordered
    }

    /// How many uses of one variable are named in full; the rest are counted ("…; and 9,995 more"). A variable
    /// shared by thousands of objects would otherwise make one report cell of hundreds of kilobytes.
    public static let usedByLimit = 5

    /// Every variable `apply.sh` needs, with what uses it: config references and literal-secret stand-ins.
    /// `usedBy` names the first ``usedByLimit`` uses (sorted) and counts the others.
    public static func requiredVariables(for desired: DesiredState) -> [(variable: String, usedBy: String)] {
        var seen: [String: Set<String>] = [:]
        forEachRequiredVariable(in: desired) { variable, use in seen[variable, default: []].insert(use()) }
        return seen.keys.sorted().map { variable in
            let uses = seen[variable]!.sorted()
            var named = uses.prefix(usedByLimit).joined(separator: "; ")
            if uses.count > usedByLimit { named += "; and \(uses.count - usedByLimit) more" }
            return (variable, named)
        }
    }

    /// The names of ``requiredVariables(for:)`` alone, sorted (without describing thousands of uses).
    public static func requiredVariableNames(for desired: DesiredState) -> [String] {
        var names = Set<String>()
        forEachRequiredVariable(in: desired) { variable, _ in names.insert(variable) }
        return names.sorted()
    }

    /// Each use of a variable, with its description made only when asked for.
    private static func forEachRequiredVariable(in desired: DesiredState, _ body: (_ variable: String, _ use: () -> String) -> Void) {
        for use in desired.environmentReferences { body(use.variable) { "\(use.object) \(use.field)" } }
        // By position, in place: only each object's secrets are read, not the whole object copied.
        desired.objects.withUnsafeBufferPointer { objects in
            for position in objects.indices {
                for (field, source) in objects[position].secrets {
                    if case .literal = source {
                        let ref = objects[position].ref
                        body(literalSecretVariable(for: ref, field: field)) { "\(ref) \(field) (written in the config)" }
                    }
                }
            }
        }
    }
}
