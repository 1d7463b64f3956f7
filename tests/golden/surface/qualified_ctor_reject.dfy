// `D.C` must name a constructor of D.
datatype Color = Red | Green | Blue

method M() {
  var c := Color.Purple;
}
