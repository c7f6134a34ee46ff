extension VersionVector {
    /// The smallest vector covering every dot: what a change must wait for before it applies.
    public init(covering dots: some Sequence<Dot>) {
        self.init()
        for dot in dots { raise(dot.origin, to: dot.sequence) }
    }
}
