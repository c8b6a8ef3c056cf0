# An interactive session with IncrementalPS: paste these lines one at a time.

Import-Module IncrementalPS

# A native program does not throw when it fails: turn its exit code into an error, so that the item is recorded as
# failed rather than completed. (PowerShell does not expand ~ inside a quoted argument to a native program: use $HOME.)
$makeThumbnail = {
    magick $_.FullName -resize 256x256 "$HOME/thumbs/$($_.BaseName).jpg"
    if ($LASTEXITCODE) { throw "magick exited with $LASTEXITCODE for $($_.FullName)" }
}

# 1. Start a long job. Each file is keyed by its full path and recorded when it is done.
Get-ChildItem ~/photos -Recurse -File -Filter *.jpg |
    Invoke-Incremental thumbnails $makeThumbnail

# 2. Press Ctrl+C half way. The checkpoint is left Interrupted:
Get-CheckpointStatus thumbnails

# 3. Run the very same command again: it skips what is done and goes on from there.
Get-ChildItem ~/photos -Recurse -File -Filter *.jpg |
    Invoke-Incremental thumbnails $makeThumbnail -Verbose

# 4. Some files failed? See why, fix the cause, and run only those again.
Get-CheckpointItem thumbnails -State Failed | Format-Table Key, Attempts, @{ n = 'Error'; e = { $_.Error.Message } }
Get-ChildItem ~/photos -Recurse -File -Filter *.jpg |
    Invoke-Incremental thumbnails $makeThumbnail -RetryFailed

# 5. Objects other than strings and files need a key.
Get-Process | Invoke-Incremental proc-report -Key Id { "$($_.Id) $($_.ProcessName)" }

# 6. Start over.
Reset-Checkpoint thumbnails -Force
