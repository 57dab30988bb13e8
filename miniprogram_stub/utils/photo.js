// One photo from the camera or the album, as a temporary file path; null when the person closed
// the picker without choosing (nothing to send, nothing to say).
function choosePhoto() {
  return new Promise((resolve) => {
    wx.chooseMedia({
      count: 1,
      mediaType: ['image'],
      sourceType: ['camera', 'album'],
      sizeType: ['compressed'],
      success: (picked) =>
        resolve(picked && picked.tempFiles && picked.tempFiles.length ? picked.tempFiles[0].tempFilePath : null),
      fail: () => resolve(null),
    });
  });
}

module.exports = { choosePhoto };
