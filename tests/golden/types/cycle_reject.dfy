type A = B
type B = seq<A>
