// Modules whose imports form a cycle, as Dafny refuses them.
module D {
  import E
  function F(): int { 1 }
}

module E {
  import D
  function G(): int { D.F() }
}
