// `include` is outside MiniDafny.
include "other.dfy"

module A {
  function F(x: int): int { x + 1 }
}
