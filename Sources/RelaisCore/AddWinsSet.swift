/// An add-wins (observed-remove) set: a removal takes away only the elements its author saw, so
/// a concurrent addition survives.
public struct AddWinsSet: Hashable, Sendable {
    /// Live elements by the dot of the operation that added them.
    public private(set) var elements: [Dot: [UInt8]]

    /// A set holding `elements`, each under the dot of the operation that added it.
    public init(elements: [Dot: [UInt8]] = [:]) { self.elements = elements }

    /// Adds a sealed element under `tag`, the dot of the adding operation.
    public mutating func add(_ sealedElement: [UInt8], tag: Dot) {
        elements[tag] = sealedElement
    }

    /// Removes the additions tagged `tags`: only those this remover saw, so a concurrent add survives.
    public mutating func remove(_ tags: [Dot]) {
        for tag in tags { elements[tag] = nil }
    }

    /// The live elements in dot order, the same on every replica.
    public var sortedElements: [(tag: Dot, sealedElement: [UInt8])] {
        elements.sorted { $0.key < $1.key }.map { (tag: $0.key, sealedElement: $0.value) }
    }
}
