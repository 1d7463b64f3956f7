// `import A` without `opened`: A's declarations are reached only as `A.F`.
module A {
  function F(x: int): int { x + 1 }
}

module B {
  import A
  function G(x: int): int { F(x) }
}
