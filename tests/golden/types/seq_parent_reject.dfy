type NonEmpty = s: seq<int> | |s| > 0 witness [0]
