// Constants in modules, named with their module, through an import alias, or opened.
module Config {
  const Size: nat := 4
  const Names := [1, 2, 3]
}

module Use {
  import Config
  import opened C = Config

  method Fill() returns (a: array<int>)
    ensures a.Length == Config.Size
    ensures fresh(a)
  {
    a := new int[Size];
  }

  method Count() returns (n: int)
    ensures n == 3
  {
    n := |C.Names|;
  }
}
