#!/usr/bin/perl
# checksrc.pl - the house rules that a compiler does not check, checked on
# every C file (in the spirit of curl's checksrc and git's banned.h). Run by
# ctest (check/checksrc) and by `make checksrc`:
#
#   tools/checksrc.pl [--root DIR] [--allow FILE]
#
# Rules (the name in brackets is the one the allowlist uses):
#   [banned]      strcpy, sprintf, strtok, atoi, gets, ... (src, tests, tools, bench)
#   [assign-cond] an assignment inside the condition of if, while, for, switch
#   [void-result] a (void) cast of a call to a function marked ERR_MUST_CHECK
#                 (gcc warns anyway, clang accepts the cast)
#   [must-check]  a function of src/store or src/service returning enum err
#                 declared without ERR_MUST_CHECK (util/err.h)
#   [sql]         SQL text or the SQLite API outside src/store
#   [transaction] store_begin/store_commit/store_rollback outside src/service
#   [store-call]  src/web or src/cli calling the store other than to open and
#                 close it and ask after its health (they go through src/service)
#   [include]     an #include against the layers
#                 (util <- core <- io, store <- service <- web, cli)
#
# The allowlist (default tools/checksrc.allow) names known violations as
# "RULE FILE:FUNCTION", each with a comment saying which work removes it; a
# violation not in it fails, and so does an entry that no longer occurs.
# Messages are "file:line: ..."; the exit status is 1 if anything is wrong.
# Only perl-base is used, so it runs on a minimal Debian.
use strict;
use warnings;

my $root;
my $allow_path;
while (@ARGV) {
    my $a = shift @ARGV;
    if ($a eq '--root' && @ARGV) {
        $root = shift @ARGV;
    } elsif ($a eq '--allow' && @ARGV) {
        $allow_path = shift @ARGV;
    } else {
        print STDERR "usage: checksrc.pl [--root DIR] [--allow FILE]\n";
        exit 2;
    }
}
if (!defined $root) {
    ($root = $0) =~ s{/?[^/]*$}{};
    $root = ($root eq '' ? '.' : $root) . '/..';
}
$allow_path = "$root/tools/checksrc.allow" unless defined $allow_path;
(my $allow_name = $allow_path) =~ s{^\Q$root\E/}{};

my @banned = qw(strcpy strcat strncpy strncat sprintf vsprintf strtok strtok_r atoi atol atoll
  atof gets mktemp tmpnam tempnam gmtime localtime ctime asctime alloca);
my %instead = (
    strcpy => 'str_copy', strcat => 'a struct buf', strncpy => 'str_copy',
    strncat => 'a struct buf', sprintf => 'snprintf', vsprintf => 'vsnprintf',
    strtok => 'strchr or strcspn', strtok_r => 'strchr or strcspn',
    atoi => 'str_parse_i64', atol => 'str_parse_i64', atoll => 'str_parse_i64',
    atof => 'strtod with an end check', gets => 'fgets', mktemp => 'mkstemp or mkdtemp',
    tmpnam => 'mkstemp', tempnam => 'mkstemp', gmtime => 'gmtime_r',
    localtime => 'localtime_r', ctime => 'strftime', asctime => 'strftime',
    alloca => 'a fixed array or malloc');
my $banned_re = join('|', @banned);
# the store's handle: opening and closing it, its address (the URL), and
# asking after its health (errors, faults, read-only, integrity, schema) is
# the caller's business
my %store_lifecycle = map { $_ => 1 } qw(store_open store_close store_errmsg store_open_error
  store_name store_url_safe store_url_folder store_fault store_fault_clear store_readonly
  store_quick_check store_schema_version store_migration_list);
# reported as [transaction], not again as [store-call]
my %store_txn = map { $_ => 1 } qw(store_begin store_commit store_rollback);
my %layer_may_include = (
    util    => [qw(util)],
    core    => [qw(util core)],
    io      => [qw(util core io)],
    store   => [qw(util core store)],
    service => [qw(util core io store service)],
    web     => [qw(util core io store service web)],
    cli     => [qw(util core io store service web cli)],
);

# --- the files -----------------------------------------------------------
sub walk {
    my ($dir, $out) = @_;
    opendir(my $dh, $dir) or return;
    my @names = sort grep { !/^\./ } readdir($dh);
    closedir($dh);
    for my $n (@names) {
        my $p = "$dir/$n";
        if (-d $p) {
            next if $n eq 'node_modules' || $n eq 'checksrc';
            walk($p, $out);
        } elsif ($n =~ /\.[ch]$/) {
            push @$out, $p;
        }
    }
}
my @files;
walk("$root/$_", \@files) for qw(src tests tools bench);
@files = map { substr($_, length($root) + 1) } @files;

sub slurp {
    my ($p) = @_;
    open(my $fh, '<', "$root/$p") or die "checksrc: cannot read '$p': $!\n";
    local $/;
    my $s = <$fh>;
    close($fh);
    return $s;
}

# Blank comments, string and character literals (keeping newlines and the
# quotes), so that code can be matched without false hits; the string
# literals are returned with their line numbers for the SQL rule.
sub strip {
    my ($s) = @_;
    my @strings;
    my $line = 1;
    my $out = '';
    my $n = length($s);
    my $i = 0;
    while ($i < $n) {
        my $c = substr($s, $i, 1);
        my $two = substr($s, $i, 2);
        if ($two eq '/*') {
            my $e = index($s, '*/', $i + 2);
            $e = $n - 2 if $e < 0;
            my $t = substr($s, $i, $e + 2 - $i);
            (my $b = $t) =~ s/[^\n]/ /g;
            $out .= $b;
            $line += ($t =~ tr/\n//);
            $i = $e + 2;
        } elsif ($two eq '//') {
            my $e = index($s, "\n", $i);
            $e = $n if $e < 0;
            $out .= ' ' x ($e - $i);
            $i = $e;
        } elsif ($c eq '"' || $c eq "'") {
            my $j = $i + 1;
            while ($j < $n && substr($s, $j, 1) ne $c && substr($s, $j, 1) ne "\n") {
                $j++ if substr($s, $j, 1) eq '\\';
                $j++;
            }
            my $t = substr($s, $i + 1, $j - $i - 1);
            push @strings, [$line, $t] if $c eq '"';
            $out .= $c . ('x' x length($t)) . $c;
            $i = $j + 1;
        } else {
            $line++ if $c eq "\n";
            $out .= $c;
            $i++;
        }
    }
    return ($out, \@strings);
}

# The function each line is in ('' outside functions): a definition starts
# with a line at column 0 naming it and its body is "{" ... "}" at column 0
# (the clang-format layout of this tree).
sub functions {
    my ($code) = @_;
    my @fn = ('');
    my ($cur, $cand) = ('', '');
    my $ln = 0;
    for my $l (split /\n/, $code, -1) {
        $ln++;
        if ($l =~ /^\{/) {
            $cur = $cand;
        } elsif ($l =~ /^\}/) {
            $fn[$ln] = $cur;
            $cur = '';
            next;
        } elsif ($cur eq '' && $l =~ /^[A-Za-z_]/ && $l !~ /^(typedef|struct\s+\w+\s*\{|#)/) {
            $cand = $1 if $l =~ /\b([A-Za-z_]\w*)\s*\(/;
        }
        $fn[$ln] = $cur;
    }
    return \@fn;
}

sub line_of {
    my ($s, $pos) = @_;
    return 1 + (substr($s, 0, $pos) =~ tr/\n//);
}

# The text between the parenthesis at $open and its match.
sub paren_body {
    my ($s, $open) = @_;
    my $depth = 0;
    for (my $i = $open; $i < length($s); $i++) {
        my $c = substr($s, $i, 1);
        $depth++ if $c eq '(';
        if ($c eq ')') {
            $depth--;
            return substr($s, $open + 1, $i - $open - 1) if $depth == 0;
        }
    }
    return undef;
}

# Split at top-level semicolons (a for's three parts).
sub top_split {
    my ($s) = @_;
    my @parts = ('');
    my $depth = 0;
    for my $c (split //, $s) {
        $depth++ if $c eq '(' || $c eq '[' || $c eq '{';
        $depth-- if $c eq ')' || $c eq ']' || $c eq '}';
        if ($c eq ';' && $depth == 0) {
            push @parts, '';
        } else {
            $parts[-1] .= $c;
        }
    }
    return @parts;
}

sub has_assignment {
    my ($e) = @_;
    return 1 if $e =~ /<<=|>>=/;
    return 1 if $e =~ /[-+*\/%&|^]=/;
    return 1 if $e =~ /(?<![=!<>])=(?!=)/;
    return 0;
}

# --- read everything once ------------------------------------------------
my (%raw, %code, %strings, %fn);
for my $f (@files) {
    $raw{$f} = slurp($f);
    my ($c, $st) = strip($raw{$f});
    $code{$f} = $c;
    $strings{$f} = $st;
    $fn{$f} = functions($c);
}

# the functions marked ERR_MUST_CHECK, and those the store declares
my (%must_check, %store_fn);
for my $f (grep { m{^src/.*\.h$} } @files) {
    my $c = $code{$f};
    while ($c =~ /^ERR_MUST_CHECK\s[^;(]*?\b(\w+)\s*\(/mg) {
        $must_check{$1} = 1;
    }
    if ($f =~ m{^src/store/}) {
        while ($c =~ /^(?!typedef|struct|#|static)[A-Za-z_][^;(]*?\b(\w+)\s*\(/mg) {
            $store_fn{$1} = 1;
        }
    }
}

# --- the rules -----------------------------------------------------------
my @found;    # [rule, file, line, function, message]
sub report {
    my ($rule, $f, $line, $msg) = @_;
    push @found, [$rule, $f, $line, $fn{$f}[$line] // '', $msg];
}

for my $f (@files) {
    my $c = $code{$f};
    my ($layer) = $f =~ m{^src/(\w+)/};
    $layer //= '';

    while ($c =~ /\b($banned_re)\s*\(/g) {
        report('banned', $f, line_of($c, $-[0]), "'$1' is banned (use $instead{$1})");
    }

    while ($c =~ /\b(if|while|switch|for)\s*\(/g) {
        my ($kw, $at) = ($1, $+[0] - 1);
        my $body = paren_body($c, $at);
        next unless defined $body;
        my @check = ($body);
        if ($kw eq 'for') {
            my @p = top_split($body);
            @check = @p == 3 ? ($p[1]) : ();
        }
        for my $e (@check) {
            report('assign-cond', $f, line_of($c, $at),
                   "assignment inside the condition of '$kw' (assign on the line before)")
              if has_assignment($e);
        }
    }

    while ($c =~ /\(\s*void\s*\)\s*(\w+)\s*\(/g) {
        report('void-result', $f, line_of($c, $-[0]),
               "the result of '$1' is cast away (it is ERR_MUST_CHECK: handle it)")
          if $must_check{$1};
    }

    if ($f =~ m{^src/(store|service)/.*\.h$}) {
        while ($c =~ /^((?:ERR_MUST_CHECK\s+)?enum\s+err\s+(\w+)\s*\()/mg) {
            report('must-check', $f, line_of($c, $-[0]),
                   "'$2' returns enum err but is not declared ERR_MUST_CHECK")
              if $1 !~ /^ERR_MUST_CHECK/;
        }
    }

    if ($f =~ m{^src/} && $layer ne 'store') {
        while ($c =~ /\bsqlite3_\w+|<sqlite3\.h>/g) {
            report('sql', $f, line_of($c, $-[0]), "'$&' outside src/store");
        }
        for my $s (@{$strings{$f}}) {
            my ($ln, $t) = @$s;
            if ($t =~ /\b(SELECT\s+(\w+|\*)|(INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|
                          (CREATE|DROP|ALTER)\s+(TABLE|INDEX|VIEW|TRIGGER)|PRAGMA\s+\w+|
                          BEGIN\s+(IMMEDIATE|EXCLUSIVE|DEFERRED|TRANSACTION)|SAVEPOINT\s+\w+)\b)/x) {
                my $shown = length($t) > 40 ? substr($t, 0, 40) . '...' : $t;
                report('sql', $f, $ln, "SQL text '$shown' outside src/store");
            }
        }
    }

    if ($f =~ m{^src/} && $layer ne 'service') {
        my @lines = split /\n/, $c, -1;
        for my $i (0 .. $#lines) {
            while ($lines[$i] =~ /\b(store_(?:begin|commit|rollback))\s*\(/g) {
                report('transaction', $f, $i + 1, "'$1' outside src/service (a service owns the transaction)")
                  if $fn{$f}[$i + 1] ne '';
            }
        }
    }

    if ($layer eq 'web' || $layer eq 'cli') {
        my @lines = split /\n/, $c, -1;
        for my $i (0 .. $#lines) {
            while ($lines[$i] =~ /\b(\w+)\s*\(/g) {
                my $name = $1;
                next unless $store_fn{$name} && !$store_lifecycle{$name} && !$store_txn{$name};
                next if $fn{$f}[$i + 1] eq '';
                report('store-call', $f, $i + 1, "'$name' called from src/$layer (go through src/service)");
            }
        }
    }

    if ($layer ne '') {
        my %ok = map { $_ => 1 } @{$layer_may_include{$layer} // []};
        my $r = $raw{$f};
        while ($r =~ /^[ \t]*#[ \t]*include\s+"(\w+)\/[^"]*"/mg) {
            report('include', $f, line_of($r, $-[0]), "src/$layer includes '$1/' (against the layers)")
              if %ok && !$ok{$1};
        }
    }
}

# --- the allowlist -------------------------------------------------------
my %allow;    # "rule file:function" -> [line, used]
if (open(my $ah, '<', $allow_path)) {
    my $n = 0;
    while (my $l = <$ah>) {
        $n++;
        $l =~ s/#.*//;
        next if $l =~ /^\s*$/;
        if ($l =~ /^\s*([\w-]+)\s+(\S+):(\w+)\s*$/) {
            $allow{"$1 $2:$3"} = [$n, 0];
        } else {
            push @found, ['allowlist', $allow_name, $n, '', "not 'RULE FILE:FUNCTION'"];
        }
    }
    close($ah);
}

my $bad = 0;
for my $v (sort { $a->[1] cmp $b->[1] || $a->[2] <=> $b->[2] } @found) {
    my ($rule, $f, $line, $func, $msg) = @$v;
    my $key = "$rule $f:$func";
    if ($func ne '' && $allow{$key}) {
        $allow{$key}[1]++;
        next;
    }
    print "$f:$line: $msg [$rule]\n";
    $bad++;
}
for my $key (sort { $allow{$a}[0] <=> $allow{$b}[0] } keys %allow) {
    next if $allow{$key}[1];
    print "$allow_name:$allow{$key}[0]: '$key' no longer occurs (remove it from the allowlist) [allowlist]\n";
    $bad++;
}
printf STDERR "checksrc: %d files, %d problems, %d allowed\n", scalar(@files), $bad,
  scalar(grep { $_->[1] } values %allow);
exit($bad ? 1 : 0);
