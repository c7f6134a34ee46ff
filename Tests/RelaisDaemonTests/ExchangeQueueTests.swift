import RelaisDaemon
import Testing

/// Sessions exchange a few at a time, the others waiting in arrival order.
@Suite struct ExchangeQueueTests {
    actor Admissions {
        var order: [Int] = []
        func admit(_ index: Int) { order.append(index) }
    }

    @Test func atMostTheLanesExchangeAndWaitersGoInArrivalOrder() async throws {
        let queue = ExchangeQueue(lanes: 2)
        await queue.enter()
        await queue.enter()
        let admissions = Admissions()
        var waiters: [Task<Void, Never>] = []
        for index in 0..<3 {
            waiters.append(
                Task {
                    await queue.enter()
                    await admissions.admit(index)
                })
            // Each waiter queued before the next arrives.
            while queue.load.waiting < index + 1 { await Task.yield() }
        }
        #expect(queue.load == (2, 3))
        #expect(await admissions.order.isEmpty)
        queue.leave()
        while await admissions.order.isEmpty { await Task.yield() }
        queue.leave()
        queue.leave()
        for waiter in waiters { await waiter.value }
        #expect(await admissions.order == [0, 1, 2])
        #expect(queue.load == (2, 0))
    }
}
