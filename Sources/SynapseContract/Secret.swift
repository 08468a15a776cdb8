/// A secret value (gateway key, provider key, git token, webhook secret) that never prints itself.
///
/// `description`, `debugDescription`, string interpolation, `dump` and `Mirror` all show `(sensitive)`,
/// so a secret that slips into a log line or an error message does not leak. Read `.value` only where the
/// secret goes on the wire.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let value: String

    public init(_ value: String) { self.value = value }

    public var description: String { "(sensitive)" }
    public var debugDescription: String { "(sensitive)" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
