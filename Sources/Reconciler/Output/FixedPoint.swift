import Glibc

extension Double {
    /// The value with exactly `decimals` digits after the point, as C's `%.Nf` writes it (`0.125` → `"0.13"` for 2).
    public func fixed(decimals: Int) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
            let written = withVaList([self]) { vsnprintf(buffer.baseAddress!, 64, "%.\(decimals)f", $0) }
            return written >= 0 && written < 64 ? String(cString: buffer.baseAddress!) : String(self)
        }
    }
}
